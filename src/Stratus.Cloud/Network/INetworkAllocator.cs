namespace Stratus.Cloud.Network;

/// <summary>
/// What Compute needs from the network service: ports for a new server (Neutron ports with a MAC and fixed IPs
/// from the subnet's allocation pool, device_id = the server), their release on delete, and the addresses and
/// security groups server views show (in bulk, since a server list shows thousands).
/// </summary>
internal interface INetworkAllocator
{
    /// <summary>
    /// Validates a boot's network request before the server exists (unknown network/port → 400 NetworkNotFound;
    /// several networks and none chosen → 409), so a bad request creates nothing.
    /// </summary>
    Task ValidateAsync(string projectId, NetworkRequest request, CancellationToken cancellationToken);

    /// <summary>Creates (or binds) the server's ports; all or nothing.</summary>
    Task<IReadOnlyList<PortAllocation>> AllocateAsync(string projectId, Guid instanceId, NetworkRequest request, IReadOnlyList<string> securityGroups, CancellationToken cancellationToken);

    /// <summary>Marks the ports bound to a host (binding:host_id) once the server is placed.</summary>
    Task BindAsync(Guid instanceId, string host, CancellationToken cancellationToken);

    /// <summary>Deletes the ports the server owns (and disassociates their floating IPs).</summary>
    Task DeallocateAsync(Guid instanceId, CancellationToken cancellationToken);

    /// <summary>Addresses and security groups per server, for server views.</summary>
    Task<IReadOnlyDictionary<Guid, InstanceNetworkView>> DescribeAsync(IReadOnlyCollection<Guid> instanceIds, CancellationToken cancellationToken);
}
