using Stratus.Cloud.Network;

namespace Stratus.Cloud.Conductor.Work;

/// <summary>
/// The durable part of a work item's progress: enough to resume or clean up after the controller was killed.
/// A build records its attempts (hosts tried and their errors) and the ports it allocated; a cleanup the host and
/// the server's VM name.
/// </summary>
internal sealed record WorkData
{
    public bool Hard { get; init; }

    public IReadOnlyList<AttemptRecord> Attempts { get; init; } = [];

    public IReadOnlyList<PortAllocation>? Ports { get; init; }

    /// <summary>Where the last step that touched a host ran (a build's current attempt, a cleanup's target).</summary>
    public string? Host { get; init; }

    /// <summary>A cleanup's VM name (instance-xxxxxxxx) on <see cref="Host"/>.</summary>
    public string? VmName { get; init; }

    public IReadOnlyList<string> TriedHosts => [.. Attempts.Select(a => a.Host).Distinct(StringComparer.Ordinal)];
}
