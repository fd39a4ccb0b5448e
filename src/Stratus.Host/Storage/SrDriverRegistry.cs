using Stratus.XenApi;

namespace Stratus.Host.Storage;

/// <summary>
/// The SR types this host supports (SR.get_supported_types, the SM objects) and the driver for each. SR.create with
/// any other type is SR_UNKNOWN_DRIVER [type].
/// </summary>
internal sealed class SrDriverRegistry
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

    public IEnumerable<ISrDriver> Drivers => _drivers.Values;

    public bool TryGet(string type, out ISrDriver driver) => _drivers.TryGetValue(type, out driver!);

    /// <summary>The driver for <paramref name="type"/>, or SR_UNKNOWN_DRIVER [type].</summary>
    public ISrDriver Get(string type) =>
        _drivers.TryGetValue(type, out var driver) ? driver : throw new XenApiFailure(XenErrors.SrUnknownDriver, type);
}
