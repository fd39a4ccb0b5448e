namespace Stratus.Cloud.Network.Model;

/// <summary>A Neutron port: MAC, fixed IPs, the device that owns it, its security groups and host binding.</summary>
internal sealed record PortRecord
{
    public required string Id { get; init; }

    public required string NetworkId { get; init; }

    /// <summary>The owning project; empty for router gateway and floating IP ports, as in neutron.</summary>
    public required string ProjectId { get; init; }

    public string Name { get; init; } = "";

    public string Description { get; init; } = "";

    public required string MacAddress { get; init; }

    public IReadOnlyList<FixedIpRecord> FixedIps { get; init; } = [];

    public string DeviceId { get; init; } = "";

    public string DeviceOwner { get; init; } = "";

    public bool AdminStateUp { get; init; } = true;

    public string Status { get; init; } = "DOWN";

    public IReadOnlyList<string> SecurityGroups { get; init; } = [];

    public bool PortSecurityEnabled { get; init; } = true;

    public IReadOnlyList<AddressPairRecord> AllowedAddressPairs { get; init; } = [];

    /// <summary>binding:host_id; empty while unbound.</summary>
    public string HostId { get; init; } = "";

    public string VnicType { get; init; } = "normal";

    /// <summary>A port the user gave nova (<c>networks: [{"port"}]</c>): on server delete it is unbound, not deleted.</summary>
    public bool PreserveOnDelete { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public long RevisionNumber { get; init; } = 1;
}
