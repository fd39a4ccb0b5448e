namespace Stratus.Cloud.Network;

/// <summary>A server's addresses (by network name, fixed then floating) and the names of its ports' security groups.</summary>
internal sealed record InstanceNetworkView(IReadOnlyList<ServerAddress> Addresses, IReadOnlyList<string> SecurityGroups);
