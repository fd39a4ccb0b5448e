using Stratus.Cloud.Compute.Instances;

namespace Stratus.Cloud.Compute.Flavors;

/// <summary>
/// A flavor (nova's instance type): its id is a string chosen by the admin (DevStack uses "42", "84", "c1", ...),
/// its resources, visibility and extra specs. Servers copy it at boot (<see cref="Snapshot"/>).
/// </summary>
internal sealed record Flavor
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required int MemoryMb { get; init; }

    public required int Vcpus { get; init; }

    public required int RootGb { get; init; }

    public int EphemeralGb { get; init; }

    public int SwapMb { get; init; }

    public double RxtxFactor { get; init; } = 1.0;

    public bool IsPublic { get; init; } = true;

    public bool Disabled { get; init; }

    public string? Description { get; init; }

    public IReadOnlyDictionary<string, string> ExtraSpecs { get; init; } = new Dictionary<string, string>();

    /// <summary>The internal number (nova's flavors.id), assigned on create.</summary>
    public long InternalId { get; init; }

    public DateTime CreatedAt { get; init; }

    public FlavorSnapshot Snapshot() => new(Id, Name, MemoryMb, Vcpus, RootGb, EphemeralGb, SwapMb, RxtxFactor, ExtraSpecs);
}
