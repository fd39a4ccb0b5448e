namespace Stratus.Cloud.Network.Model;

/// <summary>A floating IP: an address on an external network (held by a network:floatingip port), maybe mapped to a fixed IP.</summary>
internal sealed record FloatingIpRecord
{
    public required string Id { get; init; }

    public required string ProjectId { get; init; }

    public required string FloatingNetworkId { get; init; }

    public required string FloatingIpAddress { get; init; }

    public required string FloatingSubnetId { get; init; }

    /// <summary>The port on the external network that holds the address.</summary>
    public required string FloatingPortId { get; init; }

    public string? PortId { get; init; }

    public string? FixedIpAddress { get; init; }

    public string? RouterId { get; init; }

    public string Status { get; init; } = "DOWN";

    public string Description { get; init; } = "";

    public IReadOnlyList<string> Tags { get; init; } = [];

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public long RevisionNumber { get; init; } = 1;
}
