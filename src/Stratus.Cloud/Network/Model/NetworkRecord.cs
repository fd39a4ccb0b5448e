namespace Stratus.Cloud.Network.Model;

/// <summary>A Neutron network (with the provider, external-net, port-security and MTU extensions).</summary>
internal sealed record NetworkRecord
{
    public required string Id { get; init; }

    public required string ProjectId { get; init; }

    public string Name { get; init; } = "";

    public string Description { get; init; } = "";

    public bool AdminStateUp { get; init; } = true;

    public bool Shared { get; init; }

    /// <summary>router:external: floating IPs and router gateways come from it.</summary>
    public bool External { get; init; }

    public string Status { get; init; } = "ACTIVE";

    public int Mtu { get; init; } = 1450;

    public string NetworkType { get; init; } = "vxlan";

    public string? PhysicalNetwork { get; init; }

    public long? SegmentationId { get; init; }

    public bool PortSecurityEnabled { get; init; } = true;

    public bool IsDefault { get; init; }

    public IReadOnlyList<string> AvailabilityZoneHints { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public long RevisionNumber { get; init; } = 1;
}
