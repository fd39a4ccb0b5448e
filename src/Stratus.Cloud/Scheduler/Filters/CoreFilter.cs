using System.Globalization;

namespace Stratus.Cloud.Scheduler.Filters;

/// <summary>nova's CoreFilter: free vCPUs with the allocation ratio cover the flavor.</summary>
internal sealed class CoreFilter : IHostFilter
{
    public string Name => "CoreFilter";

    public HostVerdict Check(HostState host, RequestSpec request) =>
        host.FreeVcpus >= request.Flavor.Vcpus
            ? HostVerdict.Pass(Name)
            : HostVerdict.Reject(Name, RejectionKind.Vcpus, host.FreeVcpus, request.Flavor.Vcpus,
                string.Create(CultureInfo.InvariantCulture, $"{host.Vcpus} vCPUs × {host.CpuAllocationRatio} ratio, {host.VcpusUsed} used"));
}
