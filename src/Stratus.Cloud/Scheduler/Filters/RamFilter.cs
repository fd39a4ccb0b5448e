using System.Globalization;

namespace Stratus.Cloud.Scheduler.Filters;

/// <summary>nova's RamFilter: free RAM with the allocation ratio (total × ratio − used) covers the flavor.</summary>
internal sealed class RamFilter : IHostFilter
{
    public string Name => "RamFilter";

    public HostVerdict Check(HostState host, RequestSpec request) =>
        host.FreeRamMb >= request.Flavor.RamMb
            ? HostVerdict.Pass(Name)
            : HostVerdict.Reject(Name, RejectionKind.Ram, host.FreeRamMb, request.Flavor.RamMb,
                string.Create(CultureInfo.InvariantCulture, $"{host.MemoryMb} MB × {host.RamAllocationRatio} ratio, {host.MemoryMbUsed} MB used"));
}
