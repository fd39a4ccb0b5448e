namespace Stratus.Cloud.Scheduler.Filters;

/// <summary>nova's RetryFilter: a rescheduled build does not go back to a host it already failed on.</summary>
internal sealed class RetryFilter : IHostFilter
{
    public string Name => "RetryFilter";

    public HostVerdict Check(HostState host, RequestSpec request) =>
        request.TriedHosts.Contains(host.Host) ? HostVerdict.Reject(Name, RejectionKind.AlreadyTried) : HostVerdict.Pass(Name);
}
