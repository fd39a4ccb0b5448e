namespace Stratus.Cloud.Network;

/// <summary>Neutron's device_owner values (neutron-lib constants) and what they imply.</summary>
internal static class DeviceOwners
{
    public const string RouterInterface = "network:router_interface";
    public const string RouterGateway = "network:router_gateway";
    public const string FloatingIp = "network:floatingip";
    public const string Dhcp = "network:dhcp";
    public const string ComputePrefix = "compute:";

    /// <summary>The availability zone nova puts in device_owner (<c>compute:nova</c>).</summary>
    public const string Compute = "compute:nova";

    /// <summary>Ports neutron manages itself; the port API refuses to delete them.</summary>
    public static bool IsService(string owner) => owner is RouterInterface or RouterGateway or FloatingIp;

    public static bool IsNetworkOwned(string owner) => owner.StartsWith("network:", StringComparison.Ordinal);
}
