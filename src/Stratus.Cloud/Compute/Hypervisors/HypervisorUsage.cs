using Stratus.Cloud.Compute.Instances;

namespace Stratus.Cloud.Compute.Hypervisors;

/// <summary>
/// A compute node's resource view as nova's resource tracker keeps it: capacity from the host's facts, usage from the
/// servers placed on it. memory_mb_used is the reserved host memory plus the flavors' RAM; local_gb_used counts root,
/// ephemeral and swap disks; free values are capacity minus usage (they go negative when overcommitted, as in nova).
/// </summary>
internal sealed record HypervisorUsage(
    int Vcpus,
    int VcpusUsed,
    long MemoryMb,
    long MemoryMbUsed,
    long LocalGb,
    long LocalGbUsed,
    int RunningVms,
    int CurrentWorkload,
    long DiskAvailableLeast,
    IReadOnlyList<Instance> Instances)
{
    public long FreeRamMb => MemoryMb - MemoryMbUsed;

    public long FreeDiskGb => LocalGb - LocalGbUsed;

    public static HypervisorUsage Of(Compute.Services.HypervisorFacts facts, IReadOnlyList<Instance> instances, int reservedHostMemoryMb) => new(
        facts.Vcpus,
        instances.Sum(i => i.Flavor.Vcpus),
        facts.MemoryMb,
        reservedHostMemoryMb + instances.Sum(i => (long)i.Flavor.RamMb),
        facts.LocalGb,
        instances.Sum(i => (long)i.Flavor.DiskGb + i.Flavor.EphemeralGb + (i.Flavor.SwapMb / 1024)),
        instances.Count,
        // nova's stats.calculate_workload counts servers busy with a task (building, rebuilding, resizing, ...).
        instances.Count(i => i.VmState == VmStates.Building || i.TaskState is not null),
        facts.FreeDiskGb,
        instances);
}
