namespace Stratus.Cloud.Network.Model;

/// <summary>A Neutron subnet: its CIDR, gateway and allocation pools (the IPAM plan) and DHCP options.</summary>
internal sealed record SubnetRecord
{
    public required string Id { get; init; }

    public required string NetworkId { get; init; }

    public required string ProjectId { get; init; }

    public string Name { get; init; } = "";

    public string Description { get; init; } = "";

    public int IpVersion { get; init; } = 4;

    public required string Cidr { get; init; }

    public string? GatewayIp { get; init; }

    public bool EnableDhcp { get; init; } = true;

    public IReadOnlyList<AllocationPoolRecord> AllocationPools { get; init; } = [];

    public IReadOnlyList<string> DnsNameservers { get; init; } = [];

    public IReadOnlyList<HostRouteRecord> HostRoutes { get; init; } = [];

    public string? Ipv6RaMode { get; init; }

    public string? Ipv6AddressMode { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public long RevisionNumber { get; init; } = 1;
}
