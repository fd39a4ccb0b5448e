using Stratus.Cloud.Network;

namespace Stratus.Cloud.Compute.Instances;

/// <summary>
/// A server (nova's instance), as stored. Immutable: changes go through <see cref="IInstanceStore.UpdateAsync"/>
/// with <c>with</c> expressions, which checks <see cref="Version"/> so two writers never silently overwrite each other.
/// </summary>
internal sealed record Instance
{
    public required Guid Id { get; init; }

    /// <summary>The integer behind <c>instance-%08x</c> (OS-EXT-SRV-ATTR:instance_name) and the XenAPI VM's name.</summary>
    public long InternalId { get; init; }

    public required string Name { get; init; }

    public required string ProjectId { get; init; }

    public required string UserId { get; init; }

    public string ImageId { get; init; } = "";

    /// <summary>The flavor as it was at boot (nova keeps its own copy, so later flavor changes do not move servers).</summary>
    public required FlavorSnapshot Flavor { get; init; }

    public string VmState { get; init; } = VmStates.Building;

    public string? TaskState { get; init; } = TaskStates.Scheduling;

    public int PowerState { get; init; } = PowerStates.NoState;

    /// <summary>The compute service (host) it runs on; null until scheduled.</summary>
    public string? Host { get; init; }

    /// <summary>The hypervisor hostname (nova's node).</summary>
    public string? Node { get; init; }

    /// <summary>The requested availability zone, or the host's once scheduled; "" before.</summary>
    public string AvailabilityZone { get; init; } = "";

    public string? RequestedAvailabilityZone { get; init; }

    public string? KeyName { get; init; }

    public string? KeyData { get; init; }

    /// <summary>Base64 user data as given.</summary>
    public string? UserData { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    public bool ConfigDrive { get; init; }

    public string AccessIpv4 { get; init; } = "";

    public string AccessIpv6 { get; init; } = "";

    /// <summary><c>MANUAL</c> or <c>AUTO</c> (OS-DCF:diskConfig).</summary>
    public string DiskConfig { get; init; } = "MANUAL";

    public string ReservationId { get; init; } = "";

    public int LaunchIndex { get; init; }

    public string Hostname { get; init; } = "";

    public bool Locked { get; init; }

    public string? LockedReason { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyList<string> SecurityGroups { get; init; } = ["default"];

    public NetworkRequest Networks { get; init; } = NetworkRequest.Auto;

    public string KernelId { get; init; } = "";

    public string RamdiskId { get; init; } = "";

    public string RootDeviceName { get; init; } = "/dev/xvda";

    public int Progress { get; init; }

    /// <summary>The VM's uuid on its host (XenAPI VM.uuid), once created there.</summary>
    public string? XenVmUuid { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public DateTime? LaunchedAt { get; init; }

    public DateTime? TerminatedAt { get; init; }

    public bool Deleted { get; init; }

    public DateTime? DeletedAt { get; init; }

    /// <summary>Optimistic concurrency: bumped on every update.</summary>
    public int Version { get; init; }

    /// <summary>nova's OS-EXT-SRV-ATTR:instance_name.</summary>
    public string InstanceName => $"instance-{InternalId:x8}";

    /// <summary>The API status derived from vm_state and task_state (nova/api/openstack/common.py _STATE_MAP).</summary>
    public string Status => InstanceStatus.Of(VmState, TaskState);
}
