namespace Stratus.Cloud.Scheduler.Filters;

/// <summary>nova's ComputeFilter: the host's compute service is enabled and up (heartbeat younger than service_down_time).</summary>
internal sealed class ComputeFilter : IHostFilter
{
    public string Name => "ComputeFilter";

    public HostVerdict Check(HostState host, RequestSpec request) =>
        !host.Enabled ? HostVerdict.Reject(Name, RejectionKind.Disabled, detail: host.DisabledReason)
        : !host.Up ? HostVerdict.Reject(Name, RejectionKind.Down, host.HeartbeatAgeSeconds)
        : HostVerdict.Pass(Name);
}
