namespace Stratus.Cloud.Compute.Services;

/// <summary>
/// A host as its XenAPI reports it: identity, capacity (vCPUs, RAM, disk of the SRs a build can use) and the SRs
/// themselves (their types matter to the scheduler's SR capability filter). os-hypervisors shows these numbers.
/// </summary>
internal sealed record HypervisorFacts(
    string HypervisorHostname,
    string HypervisorType,
    long HypervisorVersion,
    string HostIp,
    string XenHostUuid,
    int Vcpus,
    long MemoryMb,
    long FreeMemoryMb,
    long LocalGb,
    long FreeDiskGb,
    string CpuInfoJson,
    IReadOnlyList<StorageFacts> StorageRepositories,
    string? DefaultSrUuid,
    DateTime BootTime);
