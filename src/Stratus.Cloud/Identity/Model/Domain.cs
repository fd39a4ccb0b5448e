namespace Stratus.Cloud.Identity.Model;

/// <summary>A keystone domain: a namespace for users and projects. The bootstrap creates <c>default</c> (name Default).</summary>
internal sealed record Domain(string Id, string Name, string Description, bool Enabled)
{
    public const string DefaultId = "default";

    public const string DefaultName = "Default";
}
