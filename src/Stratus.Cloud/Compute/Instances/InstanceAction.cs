namespace Stratus.Cloud.Compute.Instances;

/// <summary>One API action on a server (create, stop, reboot, delete, ...) as os-instance-actions lists it.</summary>
internal sealed record InstanceAction(
    Guid InstanceId,
    string Action,
    string RequestId,
    string UserId,
    string ProjectId,
    DateTime StartTime,
    DateTime? FinishTime,
    string? Message,
    IReadOnlyList<InstanceActionEvent> Events);
