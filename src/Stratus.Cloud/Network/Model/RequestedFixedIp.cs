namespace Stratus.Cloud.Network.Model;

/// <summary>One <c>fixed_ips</c> entry of a request: a subnet, an address, or both.</summary>
internal sealed record RequestedFixedIp(string? SubnetId, string? IpAddress);
