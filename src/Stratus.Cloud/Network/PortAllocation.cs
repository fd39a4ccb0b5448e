namespace Stratus.Cloud.Network;

/// <summary>
/// A port given to a server, with what the conductor needs to plug it into a host: the MAC for the VIF, the
/// network (its name for views, its id for the XenAPI network) and the L3 details for the config drive's
/// network_data.json.
/// </summary>
internal sealed record PortAllocation(
    string PortId,
    string NetworkId,
    string NetworkName,
    string MacAddress,
    int Mtu,
    IReadOnlyList<FixedIp> FixedIps);
