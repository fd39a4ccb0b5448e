using System.Globalization;

namespace Stratus.Cloud.Scheduler.Filters;

/// <summary>nova's DiskFilter: free disk with the allocation ratio covers root + ephemeral + swap.</summary>
internal sealed class DiskFilter : IHostFilter
{
    public string Name => "DiskFilter";

    public HostVerdict Check(HostState host, RequestSpec request) =>
        host.FreeDiskGb >= request.DiskGb
            ? HostVerdict.Pass(Name)
            : HostVerdict.Reject(Name, RejectionKind.Disk, host.FreeDiskGb, request.DiskGb,
                string.Create(CultureInfo.InvariantCulture, $"{host.LocalGb} GB × {host.DiskAllocationRatio} ratio, {host.LocalGbUsed} GB used"));
}
