namespace Stratus.Host.Storage.Sim;

/// <summary>The sim backend's storage managers: every SR type XenServer users know (ext, nfs, lvm, iso), as bookkeeping.</summary>
internal sealed class SimSrDrivers(HostAgentOptions options) : ISrDrivers
{
    private readonly Dictionary<string, ISrDriver> _drivers = new[] { "ext", "nfs", "lvm", "iso" }
        .ToDictionary(t => t, t => (ISrDriver)new SimSrDriver(t, options.SimDiskBytes), StringComparer.Ordinal);

    public IReadOnlyCollection<ISrDriver> All => _drivers.Values;

    public ISrDriver? Find(string type) => _drivers.GetValueOrDefault(type);
}
