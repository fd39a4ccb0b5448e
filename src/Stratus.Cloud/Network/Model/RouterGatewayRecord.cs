namespace Stratus.Cloud.Network.Model;

/// <summary>A router's external gateway: the external network, SNAT, and the network:router_gateway port holding its address.</summary>
internal sealed record RouterGatewayRecord(string NetworkId, bool EnableSnat, string PortId);
