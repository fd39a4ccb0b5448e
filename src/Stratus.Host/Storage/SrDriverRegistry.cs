using Stratus.XenApi;

namespace Stratus.Host.Storage;

/// <summary>
/// The real storage managers (ext, nfs, lvm, iso) by SR type: what SR.get_supported_types and the SM objects list.
/// SR.create with any other type is SR_UNKNOWN_DRIVER [type].
/// </summary>
internal sealed class SrDriverRegistry : ISrDrivers
{
    private readonly Dictionary<string, ISrDriver> _drivers;

    public SrDriverRegistry(IEnumerable<ISrDriver> drivers)
    {
        _drivers = new Dictionary<string, ISrDriver>(StringComparer.Ordinal);
        foreach (var driver in drivers)
        {
            if (!_drivers.TryAdd(driver.Type, driver))
            {
                throw new ArgumentException($"two storage drivers claim SR type '{driver.Type}'", nameof(drivers));
            }
        }
    }

    /// <summary>The SR types, sorted (SR.get_supported_types).</summary>
    public IReadOnlyList<string> Types => [.. _drivers.Keys.Order(StringComparer.Ordinal)];

    public IReadOnlyCollection<ISrDriver> All => _drivers.Values;

    public ISrDriver? Find(string type) => _drivers.GetValueOrDefault(type);

    /// <summary>The driver for <paramref name="type"/>, or SR_UNKNOWN_DRIVER [type].</summary>
    public ISrDriver Get(string type) =>
        _drivers.TryGetValue(type, out var driver) ? driver : throw new XenApiFailure(XenErrors.SrUnknownDriver, type);
}
