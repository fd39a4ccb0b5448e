namespace Stratus.Cloud.Network.Model;

/// <summary>A security group rule: direction, ethertype, protocol, port range and a remote prefix or group.</summary>
internal sealed record SecurityGroupRuleRecord
{
    public required string Id { get; init; }

    public required string SecurityGroupId { get; init; }

    public required string ProjectId { get; init; }

    public required string Direction { get; init; }

    public required string Ethertype { get; init; }

    public string? Protocol { get; init; }

    public int? PortRangeMin { get; init; }

    public int? PortRangeMax { get; init; }

    public string? RemoteIpPrefix { get; init; }

    public string? RemoteGroupId { get; init; }

    public string Description { get; init; } = "";

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    public long RevisionNumber { get; init; } = 1;

    /// <summary>What makes two rules the same rule (neutron refuses duplicates with SecurityGroupRuleExists).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Signature => string.Join('|', Direction, Ethertype, Protocol ?? "", PortRangeMin?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
        PortRangeMax?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", RemoteIpPrefix ?? "", RemoteGroupId ?? "");
}
