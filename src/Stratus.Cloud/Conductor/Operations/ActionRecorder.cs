using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Conductor.Work;

namespace Stratus.Cloud.Conductor.Operations;

/// <summary>
/// Writes a work item's instance action events (os-instance-actions: nova's event names, start and finish times,
/// Success or Error, and for admins the details) and finishes the action. An action whose events include an error
/// ends with the message "Error", as nova's action_event_finish does.
/// </summary>
internal sealed class ActionRecorder(IInstanceStore instances, TimeProvider time)
{
    public const string Success = "Success";
    public const string Error = "Error";

    public Task StartAsync(WorkItem item, string eventName, string? host, CancellationToken cancellationToken) =>
        instances.StartEventAsync(item.InstanceId, item.RequestId, eventName, time.GetUtcNow().UtcDateTime, host, cancellationToken);

    public Task FinishAsync(WorkItem item, string eventName, bool succeeded, string? details, CancellationToken cancellationToken) =>
        instances.FinishEventAsync(item.InstanceId, item.RequestId, eventName, time.GetUtcNow().UtcDateTime, succeeded ? Success : Error, details, cancellationToken);

    public Task CompleteAsync(WorkItem item, bool anyError, CancellationToken cancellationToken) =>
        instances.FinishActionAsync(item.InstanceId, item.RequestId, time.GetUtcNow().UtcDateTime, anyError ? Error : null, cancellationToken);

    /// <summary>Records the action itself, for work the controller started on its own (recovery of a server with none).</summary>
    public Task OpenAsync(Instance instance, string action, string requestId, CancellationToken cancellationToken) =>
        instances.StartActionAsync(new InstanceAction(instance.Id, action, requestId, instance.UserId, instance.ProjectId, time.GetUtcNow().UtcDateTime, null, null, []), cancellationToken);
}
