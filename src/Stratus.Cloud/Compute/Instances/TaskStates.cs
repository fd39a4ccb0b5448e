namespace Stratus.Cloud.Compute.Instances;

/// <summary>nova/compute/task_states.py (the strings are part of the API).</summary>
internal static class TaskStates
{
    public const string Scheduling = "scheduling";
    public const string Networking = "networking";
    public const string BlockDeviceMapping = "block_device_mapping";
    public const string Spawning = "spawning";
    public const string PoweringOff = "powering-off";
    public const string PoweringOn = "powering-on";
    public const string Rebooting = "rebooting";
    public const string RebootPending = "reboot_pending";
    public const string RebootStarted = "reboot_started";
    public const string RebootingHard = "rebooting_hard";
    public const string RebootPendingHard = "reboot_pending_hard";
    public const string RebootStartedHard = "reboot_started_hard";
    public const string Deleting = "deleting";
    public const string Rebuilding = "rebuilding";
}
