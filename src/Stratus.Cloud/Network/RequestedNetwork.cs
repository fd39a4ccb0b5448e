namespace Stratus.Cloud.Network;

/// <summary>One <c>networks</c> entry: <c>{"uuid"}</c>, <c>{"port"}</c>, <c>{"uuid", "fixed_ip"}</c>, optionally tagged.</summary>
internal sealed record RequestedNetwork(string? NetworkId, string? PortId, string? FixedIp, string? Tag);
