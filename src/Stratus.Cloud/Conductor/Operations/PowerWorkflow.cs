using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Conductor.Build;
using Stratus.Cloud.Conductor.Hosts;
using Stratus.Cloud.Conductor.Work;
using Stratus.XenApi;

namespace Stratus.Cloud.Conductor.Operations;

/// <summary>
/// Start, stop and reboot through the XenAPI, with nova's task_state sequences (contract §4.2): stop is
/// VM.clean_shutdown, falling back to hard_shutdown; start is VM.start_on; a soft reboot is VM.clean_reboot
/// (falling back to a hard one, as nova's xenapi driver did), a hard reboot VM.hard_reboot (or a start, from
/// halted). A failure leaves vm_state as it was, clears task_state and records a fault and an Error event.
/// </summary>
internal sealed partial class PowerWorkflow(
    IInstanceStore instances,
    IWorkStore work,
    HostRegistry registry,
    ActionRecorder actions,
    TimeProvider time,
    ILogger<PowerWorkflow> logger)
{
    public const string StartEvent = "compute_start_instance";
    public const string StopEvent = "compute_stop_instance";
    public const string RebootEvent = "compute_reboot_instance";

    /// <summary>The task states a power operation moves through; a change lands only while the server is in one of them.</summary>
    private static readonly string?[] PowerTasks =
    [
        null, TaskStates.PoweringOn, TaskStates.PoweringOff, TaskStates.Rebooting, TaskStates.RebootPending, TaskStates.RebootStarted,
        TaskStates.RebootingHard, TaskStates.RebootPendingHard, TaskStates.RebootStartedHard,
    ];

    public async Task RunAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var instance = await instances.FindAsync(item.InstanceId, includeDeleted: true, cancellationToken);
        if (instance is null || instance.Deleted || instance.TaskState == TaskStates.Deleting)
        {
            await work.RemoveAsync(item.Id, cancellationToken);
            return;
        }

        var (eventName, entry, states) = item.Kind switch
        {
            WorkKind.Start => (StartEvent, TaskStates.PoweringOn, (string?[])[null, TaskStates.PoweringOn]),
            WorkKind.Stop => (StopEvent, TaskStates.PoweringOff, [null, TaskStates.PoweringOff]),
            _ when item.Data.Hard => (RebootEvent, TaskStates.RebootingHard, [null, TaskStates.RebootingHard, TaskStates.RebootPendingHard, TaskStates.RebootStartedHard, TaskStates.Rebooting, TaskStates.RebootPending, TaskStates.RebootStarted]),
            _ => (RebootEvent, TaskStates.Rebooting, [null, TaskStates.Rebooting, TaskStates.RebootPending, TaskStates.RebootStarted]),
        };

        await actions.StartAsync(item, eventName, instance.Host, cancellationToken);
        instance = await instances.MoveAsync(item.InstanceId, states, i => i with { TaskState = entry }, cancellationToken);
        if (instance is null)
        {
            // Another operation holds the server (a delete came in): nothing to do.
            await actions.FinishAsync(item, eventName, false, "Superseded by another operation.", cancellationToken);
            await actions.CompleteAsync(item, anyError: true, cancellationToken);
            await work.RemoveAsync(item.Id, cancellationToken);
            return;
        }

        var link = registry.Find(instance.Host);
        try
        {
            if (link is null)
            {
                throw new HostGoneException(instance.Host ?? "(none)");
            }

            var vm = await VmLookup.FindAsync(link, instance, cancellationToken)
                ?? throw new XenApiFailure(XenErrors.HandleInvalid, "VM", instance.InstanceName);
            var (vmState, power) = item.Kind switch
            {
                WorkKind.Stop => await StopAsync(link, vm, cancellationToken),
                WorkKind.Start => await StartVmAsync(link, vm, cancellationToken),
                _ => await RebootAsync(link, item, vm, cancellationToken),
            };
            await instances.MoveAsync(item.InstanceId, PowerTasks, i => i with { VmState = vmState, TaskState = null, PowerState = power }, cancellationToken);
            await actions.FinishAsync(item, eventName, true, null, cancellationToken);
            await actions.CompleteAsync(item, anyError: false, cancellationToken);
            LogDone(logger, item.Kind.ToString(), item.InstanceId);
        }
        catch (Exception e) when (BuildWorkflow.IsHostFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            var error = BuildWorkflow.Describe(e);
            LogFailed(logger, item.Kind.ToString(), item.InstanceId, error);
            await instances.MoveAsync(item.InstanceId, PowerTasks, i => i with { TaskState = null }, cancellationToken);
            await instances.AddFaultAsync(item.InstanceId, new InstanceFault(500, $"Failed to {item.Kind.ToString().ToLowerInvariant()} instance {item.InstanceId}: its host did not carry out the request.",
                error, time.GetUtcNow().UtcDateTime, instance.Host), cancellationToken);
            await actions.FinishAsync(item, eventName, false, error, cancellationToken);
            await actions.CompleteAsync(item, anyError: true, cancellationToken);
        }

        await work.RemoveAsync(item.Id, cancellationToken);
    }

    private static async Task<(string, int)> StopAsync(HostLink link, string vm, CancellationToken cancellationToken)
    {
        try
        {
            await link.CallAsync("VM.clean_shutdown", HostLink.PowerCallTimeout, cancellationToken, vm);
        }
        catch (XenApiFailure failure) when (failure.Code == XenErrors.VmBadPowerState && failure.Parameters.Count >= 3 && failure.Parameters[2] == "halted")
        {
            // Off already.
        }
        catch (Exception e) when (e is XenApiFailure or TimeoutException)
        {
            // The guest did not shut down (no ACPI, hung): pull the plug, as nova's xenapi driver did.
            await Teardown.HardShutdownAsync(link, vm, cancellationToken);
        }

        return (VmStates.Stopped, PowerStates.Shutdown);
    }

    private static async Task<(string, int)> StartVmAsync(HostLink link, string vm, CancellationToken cancellationToken)
    {
        try
        {
            var host = link.Read(s => s.StartHostRef);
            if (host is not null)
            {
                await link.CallAsync("VM.start_on", HostLink.PowerCallTimeout, cancellationToken, vm, host, false, false);
            }
            else
            {
                await link.CallAsync("VM.start", HostLink.PowerCallTimeout, cancellationToken, vm, false, false);
            }
        }
        catch (XenApiFailure failure) when (failure.Code == XenErrors.VmBadPowerState && failure.Parameters.Count >= 3 && failure.Parameters[2] == "running")
        {
            // Running already.
        }

        return (VmStates.Active, PowerStates.Running);
    }

    private async Task<(string, int)> RebootAsync(HostLink link, WorkItem item, string vm, CancellationToken cancellationToken)
    {
        var hard = item.Data.Hard;
        await instances.MoveAsync(item.InstanceId, PowerTasks, i => i with { TaskState = hard ? TaskStates.RebootPendingHard : TaskStates.RebootPending }, cancellationToken);
        var power = XenValue.ToDbString(await link.CallAsync("VM.get_power_state", cancellationToken, vm));
        await instances.MoveAsync(item.InstanceId, PowerTasks, i => i with { TaskState = hard ? TaskStates.RebootStartedHard : TaskStates.RebootStarted }, cancellationToken);
        if (power != "Running")
        {
            // A hard reboot of a stopped (or errored) server starts it.
            return await StartVmAsync(link, vm, cancellationToken);
        }

        if (!hard)
        {
            try
            {
                await link.CallAsync("VM.clean_reboot", HostLink.PowerCallTimeout, cancellationToken, vm);
                return (VmStates.Active, PowerStates.Running);
            }
            catch (Exception e) when (e is XenApiFailure or TimeoutException)
            {
                LogSoftRebootFailed(logger, item.InstanceId, BuildWorkflow.Describe(e));
            }
        }

        await link.CallAsync("VM.hard_reboot", HostLink.PowerCallTimeout, cancellationToken, vm);
        return (VmStates.Active, PowerStates.Running);
    }

    [LoggerMessage(EventId = 4131, Level = LogLevel.Information, Message = "{Kind} of server {InstanceId} done")]
    private static partial void LogDone(ILogger logger, string kind, Guid instanceId);

    [LoggerMessage(EventId = 4132, Level = LogLevel.Warning, Message = "{Kind} of server {InstanceId} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string kind, Guid instanceId, string error);

    [LoggerMessage(EventId = 4133, Level = LogLevel.Warning, Message = "Soft reboot of server {InstanceId} failed ({Error}); rebooting it hard")]
    private static partial void LogSoftRebootFailed(ILogger logger, Guid instanceId, string error);
}
