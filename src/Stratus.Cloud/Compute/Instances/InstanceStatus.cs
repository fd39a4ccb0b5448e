namespace Stratus.Cloud.Compute.Instances;

/// <summary>The API <c>status</c> from (vm_state, task_state): nova/api/openstack/common.py _STATE_MAP.</summary>
internal static class InstanceStatus
{
    public static string Of(string vmState, string? taskState) => vmState switch
    {
        VmStates.Building => "BUILD",
        VmStates.Active => taskState switch
        {
            TaskStates.Rebooting or TaskStates.RebootPending or TaskStates.RebootStarted => "REBOOT",
            TaskStates.RebootingHard or TaskStates.RebootPendingHard or TaskStates.RebootStartedHard => "HARD_REBOOT",
            TaskStates.Rebuilding => "REBUILD",
            _ => "ACTIVE",
        },
        VmStates.Stopped => taskState == TaskStates.Rebuilding ? "REBUILD" : "SHUTOFF",
        VmStates.Error => taskState == TaskStates.Rebuilding ? "REBUILD" : "ERROR",
        VmStates.Paused => "PAUSED",
        VmStates.Suspended => "SUSPENDED",
        VmStates.Rescued => "RESCUE",
        VmStates.Resized => "VERIFY_RESIZE",
        VmStates.Shelved => "SHELVED",
        VmStates.ShelvedOffloaded => "SHELVED_OFFLOADED",
        VmStates.SoftDeleted => "SOFT_DELETED",
        VmStates.Deleted => "DELETED",
        _ => "UNKNOWN",
    };
}
