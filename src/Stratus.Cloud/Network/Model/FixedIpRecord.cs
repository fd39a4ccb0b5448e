namespace Stratus.Cloud.Network.Model;

/// <summary>A port's address on a subnet, <c>{"subnet_id", "ip_address"}</c>.</summary>
internal sealed record FixedIpRecord(string SubnetId, string IpAddress);
