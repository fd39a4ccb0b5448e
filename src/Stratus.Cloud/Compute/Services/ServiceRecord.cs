namespace Stratus.Cloud.Compute.Services;

/// <summary>
/// One row of os-services: a nova-compute service per managed XenAPI host (with its connection and the hypervisor
/// facts its heartbeat refreshes), and the controller's own services (nova-scheduler, nova-conductor, ...).
/// State (up/down) is not stored: it is derived from <see cref="LastSeenUp"/>'s age.
/// </summary>
internal sealed record ServiceRecord
{
    public required long Id { get; init; }

    public required Guid Uuid { get; init; }

    public required string Binary { get; init; }

    public required string Host { get; init; }

    /// <summary><c>nova</c> for compute services, <c>internal</c> for the others.</summary>
    public string Zone { get; init; } = "nova";

    public bool Disabled { get; init; }

    public string? DisabledReason { get; init; }

    public bool ForcedDown { get; init; }

    public DateTime? LastSeenUp { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public string Version { get; init; } = "";

    /// <summary>How to reach the host (compute services only).</summary>
    public HostConnection? Connection { get; init; }

    /// <summary>What the host reported at its last heartbeat (compute services only).</summary>
    public HypervisorFacts? Hypervisor { get; init; }

    /// <summary>Why the last heartbeat failed, if it did (shown by <c>stratus status</c> and <c>why</c>).</summary>
    public string? LastError { get; init; }

    public bool IsCompute => Binary == "nova-compute";
}
