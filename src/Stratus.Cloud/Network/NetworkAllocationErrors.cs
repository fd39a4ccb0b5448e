using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Network;

/// <summary>
/// The refusals <see cref="INetworkAllocator"/> throws: <see cref="ApiException"/>s already in nova's terms, so the
/// compute API lets them through unchanged (the fault middleware writes nova's body) and the conductor records
/// the message as the instance fault. <see cref="ApiException.Kind"/> is nova's exception name, <see cref="ApiException.Status"/>
/// the code nova's servers.py create answers with.
/// </summary>
internal static class NetworkAllocationErrors
{
    /// <summary>nova NetworkNotFound → 400.</summary>
    public static ApiException NetworkNotFound(string id) => new(400, $"Network {id} could not be found.", "NetworkNotFound");

    /// <summary>nova PortNotFound → 400.</summary>
    public static ApiException PortNotFound(string id) => new(400, $"Port id {id} could not be found.", "PortNotFound");

    /// <summary>nova PortInUse → 409.</summary>
    public static ApiException PortInUse(string id) => new(409, $"Port {id} is still in use.", "PortInUse");

    /// <summary>nova PortRequiresFixedIP → 400.</summary>
    public static ApiException PortRequiresFixedIp(string id) => new(400, $"Port {id} requires a FixedIP in order to be used.", "PortRequiresFixedIP");

    /// <summary>nova NetworkAmbiguous with the message of contract §4.4 (nova neutron.py _get_available_networks) → 409.</summary>
    public static ApiException NetworkAmbiguous() => new(409, "Multiple possible networks found, use a Network ID to be more specific.", "NetworkAmbiguous");

    /// <summary>nova UnableToAutoAllocateNetwork: no network the project may use → 400.</summary>
    public static ApiException NoNetworkAvailable(string projectId) => new(400, $"Unable to automatically allocate a network for project {projectId}", "UnableToAutoAllocateNetwork");

    /// <summary>nova NetworkRequiresSubnet → 400.</summary>
    public static ApiException NetworkRequiresSubnet(string id) => new(400, $"Network {id} requires a subnet in order to boot instances on.", "NetworkRequiresSubnet");

    /// <summary>nova ExternalNetworkAttachForbidden → 403.</summary>
    public static ApiException ExternalNetworkAttachForbidden(string id) => new(403, $"It is not allowed to create an interface on external network {id}", "ExternalNetworkAttachForbidden");

    /// <summary>nova InvalidIpAddressError → 400.</summary>
    public static ApiException InvalidFixedIp(string address) => new(400, $"{address} is not a valid IP v4/6 address.", "InvalidIpAddressError");

    /// <summary>A fixed IP outside every subnet of the network (neutron's InvalidIpForNetwork, as nova passes it on) → 400.</summary>
    public static ApiException FixedIpNotOnNetwork(string address, string networkId) =>
        new(400, $"IP address {address} is not a valid IP for any of the subnets on network {networkId}.", "InvalidIpAddressError");

    /// <summary>nova FixedIpAlreadyInUse → 400.</summary>
    public static ApiException FixedIpAlreadyInUse(string address, string holder) => new(400, $"Fixed IP address {address} is already in use on instance {holder}.", "FixedIpAlreadyInUse");

    /// <summary>nova SecurityGroupNotFound → 400.</summary>
    public static ApiException SecurityGroupNotFound(string name) => new(400, $"Security group {name} not found.", "SecurityGroupNotFound");

    /// <summary>nova NoUniqueMatch (a group name that matches several) → 409.</summary>
    public static ApiException SecurityGroupAmbiguous(string name) => new(409, $"Multiple security groups found matching '{name}'. Use an ID to be more specific.", "NoUniqueMatch");

    /// <summary>nova NoMoreFixedIps: the pools are exhausted (a build failure; fault code 500).</summary>
    public static ApiException NoMoreFixedIps(string networkId) => new(500, $"No fixed IP addresses available for network: {networkId}", "NoMoreFixedIps");

    /// <summary>nova PortLimitExceeded (the project's neutron port quota) → 403.</summary>
    public static ApiException PortLimitExceeded() => new(403, "Maximum number of ports exceeded", "PortLimitExceeded");
}
