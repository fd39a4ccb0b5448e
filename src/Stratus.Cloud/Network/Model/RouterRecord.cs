namespace Stratus.Cloud.Network.Model;

/// <summary>A router: its gateway on an external network; its interfaces are network:router_interface ports.</summary>
internal sealed record RouterRecord
{
    public required string Id { get; init; }

    public required string ProjectId { get; init; }

    public string Name { get; init; } = "";

    public string Description { get; init; } = "";

    public bool AdminStateUp { get; init; } = true;

    public string Status { get; init; } = "ACTIVE";

    public RouterGatewayRecord? Gateway { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public long RevisionNumber { get; init; } = 1;
}
