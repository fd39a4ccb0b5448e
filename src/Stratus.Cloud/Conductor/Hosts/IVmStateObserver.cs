namespace Stratus.Cloud.Conductor.Hosts;

/// <summary>Hears about the cloud's VMs changing on a host (from event.from), e.g. a guest that powered itself off.</summary>
internal interface IVmStateObserver
{
    Task ObserveAsync(string host, IReadOnlyList<IReadOnlyDictionary<string, object?>> vms, CancellationToken cancellationToken);
}
