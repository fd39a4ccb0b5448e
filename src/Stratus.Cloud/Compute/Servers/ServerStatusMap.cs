using Stratus.Cloud.Compute.Instances;

namespace Stratus.Cloud.Compute.Servers;

/// <summary>nova common.task_and_vm_state_from_status: which vm_states can show a given API status.</summary>
internal static class ServerStatusMap
{
    private static readonly Dictionary<string, string[]> VmStatesByStatus = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ACTIVE"] = [VmStates.Active],
        ["REBOOT"] = [VmStates.Active],
        ["HARD_REBOOT"] = [VmStates.Active],
        ["PASSWORD"] = [VmStates.Active],
        ["REBUILD"] = [VmStates.Active, VmStates.Stopped, VmStates.Error],
        ["MIGRATING"] = [VmStates.Active, VmStates.Paused],
        ["RESIZE"] = [VmStates.Active, VmStates.Stopped],
        ["BUILD"] = [VmStates.Building],
        ["SHUTOFF"] = [VmStates.Stopped],
        ["VERIFY_RESIZE"] = [VmStates.Resized],
        ["REVERT_RESIZE"] = [VmStates.Resized],
        ["PAUSED"] = [VmStates.Paused],
        ["SUSPENDED"] = [VmStates.Suspended],
        ["RESCUE"] = [VmStates.Rescued],
        ["ERROR"] = [VmStates.Error],
        ["DELETED"] = [VmStates.Deleted],
        ["SOFT_DELETED"] = [VmStates.SoftDeleted],
        ["SHELVED"] = [VmStates.Shelved],
        ["SHELVED_OFFLOADED"] = [VmStates.ShelvedOffloaded],
    };

    /// <summary>The vm_states behind the statuses (empty when none is a known status).</summary>
    public static IReadOnlyCollection<string> VmStatesFor(IEnumerable<string> statuses) =>
        statuses.SelectMany(s => VmStatesByStatus.TryGetValue(s, out var states) ? states : []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
