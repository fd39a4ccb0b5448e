namespace Stratus.Cloud.Network.Model;

/// <summary>A security group (its rules are separate records).</summary>
internal sealed record SecurityGroupRecord
{
    public required string Id { get; init; }

    public required string ProjectId { get; init; }

    public required string Name { get; init; }

    public string Description { get; init; } = "";

    public bool Stateful { get; init; } = true;

    public IReadOnlyList<string> Tags { get; init; } = [];

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public long RevisionNumber { get; init; } = 1;
}
