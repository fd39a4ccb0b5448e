namespace Stratus.Cloud.Network;

/// <summary>Why a server's network request cannot be met; each maps to a nova exception (see <see cref="NetworkAllocationException"/>).</summary>
internal enum NetworkAllocationError
{
    /// <summary>nova NetworkNotFound → 400.</summary>
    NetworkNotFound,

    /// <summary>nova PortNotFound → 400.</summary>
    PortNotFound,

    /// <summary>nova PortInUse → 409.</summary>
    PortInUse,

    /// <summary>nova PortRequiresFixedIP → 400.</summary>
    PortRequiresFixedIp,

    /// <summary>nova NetworkAmbiguous → 409.</summary>
    NetworkAmbiguous,

    /// <summary>nova UnableToAutoAllocateNetwork → 400.</summary>
    NoNetworkAvailable,

    /// <summary>nova NetworkRequiresSubnet → 400.</summary>
    NetworkRequiresSubnet,

    /// <summary>nova ExternalNetworkAttachForbidden → 403.</summary>
    ExternalNetworkAttachForbidden,

    /// <summary>nova InvalidIpAddressError / a fixed IP outside the network's subnets → 400.</summary>
    InvalidFixedIp,

    /// <summary>nova FixedIpAlreadyInUse → 400.</summary>
    FixedIpAlreadyInUse,

    /// <summary>nova SecurityGroupNotFound → 400.</summary>
    SecurityGroupNotFound,

    /// <summary>nova NoUniqueMatch (a security group name that matches several) → 409.</summary>
    SecurityGroupAmbiguous,

    /// <summary>nova NoMoreFixedIps: the pools are exhausted (a build failure, fault code 500).</summary>
    NoMoreFixedIps,

    /// <summary>nova PortLimitExceeded → 403.</summary>
    PortLimitExceeded,
}
