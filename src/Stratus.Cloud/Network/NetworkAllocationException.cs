namespace Stratus.Cloud.Network;

/// <summary>
/// A network request Compute must refuse, thrown by <see cref="INetworkAllocator"/>. <see cref="Exception.Message"/>
/// is nova's wording and <see cref="Status"/> the code nova's API answers with (servers.py create maps these
/// exceptions to 400/403/409), so the compute API can do <c>throw new ApiException(e.Status, e.Message)</c>; the
/// conductor records the same message as the instance fault.
/// </summary>
internal sealed class NetworkAllocationException(NetworkAllocationError error, int status, string message) : Exception(message)
{
    public NetworkAllocationError Error { get; } = error;

    public int Status { get; } = status;

    public static NetworkAllocationException NetworkNotFound(string id) => new(NetworkAllocationError.NetworkNotFound, 400, $"Network {id} could not be found.");

    public static NetworkAllocationException PortNotFound(string id) => new(NetworkAllocationError.PortNotFound, 400, $"Port id {id} could not be found.");

    public static NetworkAllocationException PortInUse(string id) => new(NetworkAllocationError.PortInUse, 409, $"Port {id} is still in use.");

    public static NetworkAllocationException PortRequiresFixedIp(string id) => new(NetworkAllocationError.PortRequiresFixedIp, 400, $"Port {id} requires a FixedIP in order to be used.");

    /// <summary>The message of contract §4.4 (nova neutron.py _get_available_networks).</summary>
    public static NetworkAllocationException NetworkAmbiguous() =>
        new(NetworkAllocationError.NetworkAmbiguous, 409, "Multiple possible networks found, use a Network ID to be more specific.");

    public static NetworkAllocationException NoNetworkAvailable(string projectId) =>
        new(NetworkAllocationError.NoNetworkAvailable, 400, $"Unable to automatically allocate a network for project {projectId}");

    public static NetworkAllocationException NetworkRequiresSubnet(string id) =>
        new(NetworkAllocationError.NetworkRequiresSubnet, 400, $"Network {id} requires a subnet in order to boot instances on.");

    public static NetworkAllocationException ExternalNetworkAttachForbidden(string id) =>
        new(NetworkAllocationError.ExternalNetworkAttachForbidden, 403, $"It is not allowed to create an interface on external network {id}");

    public static NetworkAllocationException InvalidFixedIp(string address) => new(NetworkAllocationError.InvalidFixedIp, 400, $"{address} is not a valid IP v4/6 address.");

    public static NetworkAllocationException FixedIpNotOnNetwork(string address, string networkId) =>
        new(NetworkAllocationError.InvalidFixedIp, 400, $"Fixed IP {address} is not a valid ip address for network {networkId}.");

    public static NetworkAllocationException FixedIpAlreadyInUse(string address, string holder) =>
        new(NetworkAllocationError.FixedIpAlreadyInUse, 400, $"Fixed IP address {address} is already in use on instance {holder}.");

    public static NetworkAllocationException SecurityGroupNotFound(string name) => new(NetworkAllocationError.SecurityGroupNotFound, 400, $"Security group {name} not found.");

    public static NetworkAllocationException SecurityGroupAmbiguous(string name) =>
        new(NetworkAllocationError.SecurityGroupAmbiguous, 409, $"Multiple security groups found matching '{name}'. Use an ID to be more specific.");

    public static NetworkAllocationException NoMoreFixedIps(string networkId) => new(NetworkAllocationError.NoMoreFixedIps, 500, $"No fixed IP addresses available for network: {networkId}");

    public static NetworkAllocationException PortLimitExceeded() => new(NetworkAllocationError.PortLimitExceeded, 403, "Maximum number of ports exceeded");
}
