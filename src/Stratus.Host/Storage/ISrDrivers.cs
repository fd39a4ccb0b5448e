namespace Stratus.Host.Storage;

/// <summary>The storage managers this agent has, by SR type (what xapi lists as SM objects).</summary>
internal interface ISrDrivers
{
    IReadOnlyCollection<ISrDriver> All { get; }

    ISrDriver? Find(string type);
}
