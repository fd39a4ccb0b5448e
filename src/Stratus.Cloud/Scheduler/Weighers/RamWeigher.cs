namespace Stratus.Cloud.Scheduler.Weighers;

/// <summary>
/// nova's RAMWeigher: spread (the default) prefers the host with the most free RAM; pack (a negative multiplier)
/// prefers the fullest host that still fits.
/// </summary>
internal sealed class RamWeigher(bool spread) : IHostWeigher
{
    public string Name => spread ? "RAMWeigher(spread)" : "RAMWeigher(pack)";

    public double Weigh(HostState host, RequestSpec request) => spread ? host.FreeRamMb : -host.FreeRamMb;
}
