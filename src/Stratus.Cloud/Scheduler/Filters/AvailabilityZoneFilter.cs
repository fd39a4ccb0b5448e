namespace Stratus.Cloud.Scheduler.Filters;

/// <summary>nova's AvailabilityZoneFilter: a requested zone must be the host's.</summary>
internal sealed class AvailabilityZoneFilter : IHostFilter
{
    public string Name => "AvailabilityZoneFilter";

    public HostVerdict Check(HostState host, RequestSpec request) =>
        string.IsNullOrEmpty(request.AvailabilityZone) || string.Equals(request.AvailabilityZone, host.AvailabilityZone, StringComparison.Ordinal)
            ? HostVerdict.Pass(Name)
            : HostVerdict.Reject(Name, RejectionKind.AvailabilityZone, detail: host.AvailabilityZone);
}
