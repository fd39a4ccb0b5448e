using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using Stratus.Cloud.Network.Api;
using Stratus.Cloud.Network.Ipam;
using Stratus.Cloud.Network.Model;
using Stratus.Cloud.Network.Storage;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Network;

/// <summary>
/// Neutron's resources and their rules: networks, subnets with IPAM, ports, floating IPs, security groups and
/// routers. Each API operation runs in one database transaction, so a refused request changes nothing; one that
/// loses a race on a unique key (an address, a MAC) is retried from the start with fresh data.
/// The allocator for Compute (<see cref="NetworkAllocator"/>) uses the same core operations.
/// </summary>
internal sealed partial class NeutronService(IDatabase database, TimeProvider time, ILogger<NeutronService> logger)
{
    private const int MaxWriteAttempts = 10;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken) => database.ReadAsync(read, cancellationToken);

    /// <summary>A write transaction, retried when it loses a race on a unique key (two allocations of one address).</summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await database.WriteAsync(write, cancellationToken);
            }
            catch (DbException e) when (UniqueViolation.Is(e) && attempt < MaxWriteAttempts)
            {
                LogRetry(logger, attempt, e.Message);
            }
        }
    }

    private static void RequireWriter(RequestContext caller, string action)
    {
        if (!caller.CanWrite)
        {
            throw NeutronErrors.PolicyNotAuthorized(action);
        }
    }

    private static bool Owns(RequestContext caller, string projectId) => caller.IsAdmin || (caller.ProjectId is not null && caller.ProjectId == projectId);

    private static string NewId() => Guid.NewGuid().ToString("D");

    /// <summary>A random MAC with OpenStack's default base_mac fa:16:3e.</summary>
    private static string NewMac()
    {
        Span<byte> bytes = stackalloc byte[3];
        RandomNumberGenerator.Fill(bytes);
        return $"fa:16:3e:{bytes[0]:x2}:{bytes[1]:x2}:{bytes[2]:x2}";
    }

    // ---- shared lookups (connection level, used by the API and the allocator) ----

    private static async Task<NetworkRecord?> VisibleNetworkAsync(DbConnection c, DbTransaction? t, string id, string? projectId, bool admin, CancellationToken ct)
    {
        var network = await NeutronTables.Networks.FindAsync(c, t, id, ct);
        return network is not null && (admin || network.Shared || network.External || network.ProjectId == projectId) ? network : null;
    }

    internal static async Task<List<SubnetRecord>> SubnetsOfAsync(DbConnection c, DbTransaction? t, string networkId, CancellationToken ct) =>
        (await NeutronTables.Subnets.WhereAsync(c, t, "network_id = @networkId", new { networkId }, ct)).OrderBy(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();

    private static async Task<Dictionary<string, List<string>>> SubnetIdsByNetworkAsync(DbConnection c, DbTransaction? t, IEnumerable<string> networkIds, CancellationToken ct)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var chunk in networkIds.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            var rows = await c.QueryAsync<(string Id, string NetworkId)>(new CommandDefinition(
                "SELECT id, network_id FROM net_subnets WHERE network_id IN @ids ORDER BY id", new { ids = chunk }, t, cancellationToken: ct));
            foreach (var (id, networkId) in rows)
            {
                if (!result.TryGetValue(networkId, out var list))
                {
                    result[networkId] = list = [];
                }

                list.Add(id);
            }
        }

        return result;
    }

    private static async Task<HashSet<UInt128>> TakenAddressesAsync(DbConnection c, DbTransaction t, string subnetId, CancellationToken ct)
    {
        var rows = await c.QueryAsync<string>(new CommandDefinition(
            "SELECT ip_address FROM net_ip_allocations WHERE subnet_id = @subnetId", new { subnetId }, t, cancellationToken: ct));
        var taken = new HashSet<UInt128>();
        foreach (var row in rows)
        {
            if (IpMath.TryParse(row, out var address, out _))
            {
                taken.Add(IpMath.ToNumber(address));
            }
        }

        return taken;
    }

    private static SubnetLayout LayoutOf(SubnetRecord subnet)
    {
        IpSubnet.TryParse(subnet.Cidr, out var cidr);
        UInt128? gateway = subnet.GatewayIp is not null && IpMath.TryParse(subnet.GatewayIp, out var g, out _) ? IpMath.ToNumber(g) : null;
        var pools = subnet.AllocationPools
            .Select(p => IpMath.TryParse(p.Start, out var s, out _) && IpMath.TryParse(p.End, out var e, out _) ? new IpRange(IpMath.ToNumber(s), IpMath.ToNumber(e)) : default)
            .ToList();
        return new SubnetLayout(cidr, gateway, pools);
    }

    /// <summary>Takes the first free pool address of the subnet for the port; null when the pools are exhausted.</summary>
    private static async Task<string?> AllocateNextAsync(DbConnection c, DbTransaction t, SubnetRecord subnet, string portId, CancellationToken ct)
    {
        var layout = LayoutOf(subnet);
        var taken = await TakenAddressesAsync(c, t, subnet.Id, ct);
        if (IpAllocator.FirstFree(layout.Pools, taken) is not { } free)
        {
            return null;
        }

        var address = IpMath.ToText(free, subnet.IpVersion);
        await InsertAllocationAsync(c, t, subnet, address, portId, ct);
        return address;
    }

    /// <summary>Takes a specific address (anywhere in the CIDR but the network and broadcast addresses).</summary>
    private static async Task<string> AllocateSpecificAsync(DbConnection c, DbTransaction t, SubnetRecord subnet, string requested, string portId, CancellationToken ct)
    {
        if (!IpMath.TryParse(requested, out var parsed, out var version) || version != subnet.IpVersion)
        {
            throw NeutronErrors.BadRequest("InvalidIpForSubnet", $"IP address {requested} is not a valid IP for the specified subnet.");
        }

        var layout = LayoutOf(subnet);
        var number = IpMath.ToNumber(parsed);
        if (number < layout.Cidr.FirstHost || number > layout.Cidr.LastHost)
        {
            throw NeutronErrors.BadRequest("InvalidIpForSubnet", $"IP address {requested} is not a valid IP for the specified subnet.");
        }

        var address = parsed.ToString();
        var inUse = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM net_ip_allocations WHERE subnet_id = @subnetId AND ip_address = @address", new { subnetId = subnet.Id, address }, t, cancellationToken: ct));
        if (inUse > 0)
        {
            throw NeutronErrors.Conflict("IpAddressInUse", $"Unable to complete operation for network {subnet.NetworkId}. The IP address {address} is in use.");
        }

        await InsertAllocationAsync(c, t, subnet, address, portId, ct);
        return address;
    }

    private static Task InsertAllocationAsync(DbConnection c, DbTransaction t, SubnetRecord subnet, string address, string portId, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO net_ip_allocations (subnet_id, ip_address, network_id, port_id) VALUES (@subnetId, @address, @networkId, @portId)",
            new { subnetId = subnet.Id, address, networkId = subnet.NetworkId, portId }, t, cancellationToken: ct));

    [LoggerMessage(EventId = 3501, Level = LogLevel.Debug, Message = "Network write lost a race on a unique key (attempt {Attempt}: {Error}); retrying")]
    private static partial void LogRetry(ILogger logger, int attempt, string error);

    [LoggerMessage(EventId = 3502, Level = LogLevel.Information, Message = "Network {NetworkId} ({Name}) created for project {ProjectId}")]
    private static partial void LogNetworkCreated(ILogger logger, string networkId, string name, string projectId);

    [LoggerMessage(EventId = 3503, Level = LogLevel.Information, Message = "Port {PortId} on network {NetworkId} for device {DeviceId}: {Addresses}")]
    private static partial void LogPortCreated(ILogger logger, string portId, string networkId, string deviceId, string addresses);

    [LoggerMessage(EventId = 3504, Level = LogLevel.Information, Message = "Floating IP {Address} ({FloatingIpId}) now maps to {FixedAddress} on port {PortId}")]
    private static partial void LogFloatingIpAssociated(ILogger logger, string address, string floatingIpId, string? fixedAddress, string? portId);
}
