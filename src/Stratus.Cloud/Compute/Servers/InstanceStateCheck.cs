using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Compute.Servers;

/// <summary>
/// nova compute API's decorators for actions: check_instance_lock (a locked server refuses non-admins),
/// check_instance_host (no host yet: "not ready") and check_instance_state (the vm_state, then the task_state, must be
/// among the allowed), each a 409 with nova's message.
/// </summary>
internal static class InstanceStateCheck
{
    /// <summary>nova task_states.ALLOW_REBOOT.</summary>
    public static readonly string?[] AllowReboot =
        [null, TaskStates.Rebooting, TaskStates.RebootPending, TaskStates.RebootStarted, TaskStates.RebootingHard, "resuming", "unpausing", "pausing", "suspending"];

    public static readonly string[] AllowSoftReboot = [VmStates.Active];

    public static readonly string[] AllowHardReboot = [VmStates.Active, VmStates.Stopped, VmStates.Paused, VmStates.Suspended, VmStates.Error];

    /// <summary>The reason <paramref name="instance"/> cannot take <paramref name="action"/> now, or null if it can.</summary>
    public static ApiException? Problem(
        Instance instance, string action, bool isAdmin, IReadOnlyCollection<string> vmStates, IReadOnlyCollection<string?> taskStates, bool needsHost = true, bool checkLock = true)
    {
        var id = instance.Id.ToString("D");
        if (checkLock && instance.Locked && !isAdmin)
        {
            return ApiException.Conflict($"Instance {id} is locked", "InstanceIsLocked");
        }

        if (needsHost && string.IsNullOrEmpty(instance.Host))
        {
            return ApiException.Conflict($"Instance {id} is not ready", "InstanceNotReady");
        }

        if (!vmStates.Contains(instance.VmState))
        {
            return Conflict(action, id, "vm_state", instance.VmState);
        }

        return taskStates.Contains(instance.TaskState) ? null : Conflict(action, id, "task_state", instance.TaskState ?? "None");
    }

    /// <summary>nova common.raise_http_conflict_for_instance_invalid_state.</summary>
    public static ApiException Conflict(string action, string id, string attribute, string state) =>
        ApiException.Conflict($"Cannot '{action}' instance {id} while it is in {attribute} {state}", "InstanceInvalidState");
}
