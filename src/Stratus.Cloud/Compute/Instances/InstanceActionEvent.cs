namespace Stratus.Cloud.Compute.Instances;

/// <summary>
/// One step of an action (compute__do_build_and_run_instance, conductor_schedule_and_build_instances, ...):
/// when it ran, its result (<c>Success</c> or <c>Error</c>), and for admins its details (the traceback in nova;
/// here the explanation, e.g. the scheduler's per-host verdicts).
/// </summary>
internal sealed record InstanceActionEvent(string Event, DateTime StartTime, DateTime? FinishTime, string? Result, string? Details, string? Host);
