namespace Stratus.Cloud.Network;

/// <summary>A fixed IP with its subnet's shape (for network_data.json): CIDR, gateway, DNS servers.</summary>
internal sealed record FixedIp(string SubnetId, string Address, int Version, string Cidr, string? Gateway, IReadOnlyList<string> DnsNameservers);
