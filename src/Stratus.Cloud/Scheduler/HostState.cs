using Stratus.Cloud.Compute.Services;

namespace Stratus.Cloud.Scheduler;

/// <summary>
/// One host as the scheduler sees it at the moment of a decision: its service state, its capacity and what is
/// already claimed on it (by placed servers and by builds in flight). Pure data: the conductor assembles it.
/// </summary>
internal sealed record HostState
{
    public required string Host { get; init; }

    public required string Node { get; init; }

    public string AvailabilityZone { get; init; } = "nova";

    public bool Enabled { get; init; } = true;

    public string? DisabledReason { get; init; }

    public bool Up { get; init; } = true;

    /// <summary>Seconds since the last heartbeat (for the explanation of a down host).</summary>
    public double HeartbeatAgeSeconds { get; init; }

    public int Vcpus { get; init; }

    public int VcpusUsed { get; init; }

    public long MemoryMb { get; init; }

    /// <summary>RAM claimed, including the host's reserved memory.</summary>
    public long MemoryMbUsed { get; init; }

    public long LocalGb { get; init; }

    public long LocalGbUsed { get; init; }

    public double CpuAllocationRatio { get; init; } = 16.0;

    public double RamAllocationRatio { get; init; } = 1.5;

    public double DiskAllocationRatio { get; init; } = 1.0;

    /// <summary>The SRs a build could put disks on (plugged, writable).</summary>
    public IReadOnlyList<StorageFacts> StorageRepositories { get; init; } = [];

    /// <summary>What image properties can require: hypervisor_type, architecture, vm_mode.</summary>
    public IReadOnlyDictionary<string, string> Capabilities { get; init; } = new Dictionary<string, string>();

    public int RunningVms { get; init; }

    public double FreeRamMb => (MemoryMb * RamAllocationRatio) - MemoryMbUsed;

    public double FreeDiskGb => (LocalGb * DiskAllocationRatio) - LocalGbUsed;

    public double FreeVcpus => (Vcpus * CpuAllocationRatio) - VcpusUsed;
}
