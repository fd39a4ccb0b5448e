using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Stratus.Cloud.Network.Api;
using Stratus.Cloud.Network.Ipam;
using Stratus.Cloud.Network.Model;
using Stratus.Cloud.Network.Storage;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Network;

/// <summary>
/// Floating IPs (neutron db/l3_db.py): an address from a router:external network, held by a network:floatingip
/// port, mapped to a port's fixed IP through the router that joins the port's subnet to that external network.
/// DOWN while unassociated, ACTIVE once mapped.
/// </summary>
internal sealed partial class NeutronService
{
    private static readonly HashSet<string> FloatingIpCreateAttributes = new(StringComparer.Ordinal)
    {
        "floating_network_id", "port_id", "fixed_ip_address", "floating_ip_address", "subnet_id", "description", "tenant_id", "project_id",
        "dns_name", "dns_domain", "qos_policy_id",
    };

    private static readonly HashSet<string> FloatingIpUpdateAttributes = new(StringComparer.Ordinal) { "port_id", "fixed_ip_address", "description", "qos_policy_id" };

    public Task<IReadOnlyList<JsonObject>> ListFloatingIpsAsync(RequestContext caller, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<JsonObject>>(async c =>
        {
            var ips = caller.IsAdmin
                ? await NeutronTables.FloatingIps.WhereAsync(c, null, "", null, cancellationToken)
                : await NeutronTables.FloatingIps.WhereAsync(c, null, "project_id = @project", new { project = caller.ProjectId ?? "" }, cancellationToken);
            var ports = (await NeutronTables.Ports.InAsync(c, null, "id", ips.Where(f => f.PortId is not null).Select(f => f.PortId!), cancellationToken))
                .ToDictionary(p => p.Id, StringComparer.Ordinal);
            return ips.Select(f => NeutronViews.FloatingIp(f, f.PortId is null ? null : ports.GetValueOrDefault(f.PortId))).ToList();
        }, cancellationToken);

    public Task<JsonObject> GetFloatingIpAsync(RequestContext caller, string id, CancellationToken cancellationToken) =>
        ReadAsync(async c => await RenderFloatingIpAsync(c, null, await VisibleFloatingIpAsync(c, null, caller, id, cancellationToken), cancellationToken), cancellationToken);

    public Task<IReadOnlyList<JsonObject>> CreateFloatingIpsAsync(RequestContext caller, IReadOnlyList<JsonObject> items, CancellationToken cancellationToken)
    {
        RequireWriter(caller, "create_floatingip");
        return WriteAsync<IReadOnlyList<JsonObject>>(async (c, t) =>
        {
            var created = new List<JsonObject>();
            foreach (var item in items)
            {
                created.Add(await RenderFloatingIpAsync(c, t, await CreateFloatingIpAsync(c, t, caller, item, cancellationToken), cancellationToken));
            }

            return created;
        }, cancellationToken);
    }

    public Task<JsonObject> UpdateFloatingIpAsync(RequestContext caller, string id, JsonObject item, CancellationToken cancellationToken)
    {
        NeutronInput.AllowOnly(item, FloatingIpUpdateAttributes);
        return WriteAsync(async (c, t) =>
        {
            var floatingIp = await VisibleFloatingIpAsync(c, t, caller, id, cancellationToken);
            RequireWriter(caller, "update_floatingip");
            if (NeutronInput.String(item, "description") is { } description)
            {
                floatingIp = floatingIp with { Description = description };
            }

            if (item.ContainsKey("port_id"))
            {
                var portId = NeutronInput.Uuid(item, "port_id", nullable: true);
                floatingIp = portId is null
                    ? Unmapped(floatingIp)
                    : await MapAsync(c, t, caller, floatingIp, portId, NeutronInput.String(item, "fixed_ip_address", 64, nullable: true), cancellationToken);
            }

            floatingIp = floatingIp with { UpdatedAt = Now, RevisionNumber = floatingIp.RevisionNumber + 1 };
            await NeutronTables.FloatingIps.UpdateAsync(c, t, floatingIp, cancellationToken);
            LogFloatingIpAssociated(logger, floatingIp.FloatingIpAddress, floatingIp.Id, floatingIp.FixedIpAddress, floatingIp.PortId);
            return await RenderFloatingIpAsync(c, t, floatingIp, cancellationToken);
        }, cancellationToken);
    }

    public Task DeleteFloatingIpAsync(RequestContext caller, string id, CancellationToken cancellationToken) =>
        WriteAsync(async (c, t) =>
        {
            var floatingIp = await VisibleFloatingIpAsync(c, t, caller, id, cancellationToken);
            RequireWriter(caller, "delete_floatingip");
            await DeleteFloatingIpRowsAsync(c, t, floatingIp, cancellationToken);
            return 0;
        }, cancellationToken);

    private async Task<FloatingIpRecord> CreateFloatingIpAsync(DbConnection c, DbTransaction t, RequestContext caller, JsonObject item, CancellationToken cancellationToken)
    {
        NeutronInput.AllowOnly(item, FloatingIpCreateAttributes);
        NeutronInput.Require(item, "floating_network_id");
        var networkId = NeutronInput.Uuid(item, "floating_network_id")!;
        var project = NeutronInput.ProjectFor(item, caller);
        await EnforceQuotaAsync(c, t, project, "floatingip", cancellationToken);
        var network = await VisibleNetworkAsync(c, t, networkId, caller.ProjectId, caller.IsAdmin, cancellationToken) ?? throw NeutronErrors.NetworkNotFound(networkId);
        if (!network.External)
        {
            throw NeutronErrors.BadRequest("BadRequest", $"Bad floatingip request: Network {networkId} is not a valid external network.");
        }

        var requestedAddress = NeutronInput.String(item, "floating_ip_address", 64, nullable: true);
        if (requestedAddress is not null && !caller.IsAdmin)
        {
            throw NeutronErrors.PolicyNotAuthorized("create_floatingip:floating_ip_address");
        }

        var subnetId = NeutronInput.Uuid(item, "subnet_id", nullable: true);
        var subnets = (await SubnetsOfAsync(c, t, networkId, cancellationToken)).Where(s => s.IpVersion == 4).ToList();
        if (subnetId is not null)
        {
            subnets = subnets.Where(s => s.Id == subnetId).ToList();
            if (subnets.Count == 0)
            {
                throw NeutronErrors.BadRequest("BadRequest", $"Bad floatingip request: Subnet {subnetId} is not an IPv4 subnet of network {networkId}.");
            }
        }

        var id = NewId();
        var now = Now;
        FixedIpRecord? address = null;
        var portId = NewId();
        if (requestedAddress is not null)
        {
            var wanted = IpMath.TryParse(requestedAddress, out var parsed, out var version) ? IpMath.ToNumber(parsed) : (UInt128?)null;
            var subnet = subnets.FirstOrDefault(s => wanted is { } w && version == 4 && IpSubnet.TryParse(s.Cidr, out var cidr) is null && cidr.Contains(w))
                ?? throw NeutronErrors.BadRequest("InvalidIpForNetwork", $"IP address {requestedAddress} is not a valid IP for any of the subnets on the specified network.");
            address = new FixedIpRecord(subnet.Id, await AllocateSpecificAsync(c, t, subnet, requestedAddress, portId, cancellationToken));
        }
        else
        {
            foreach (var subnet in subnets)
            {
                if (await AllocateNextAsync(c, t, subnet, portId, cancellationToken) is { } free)
                {
                    address = new FixedIpRecord(subnet.Id, free);
                    break;
                }
            }
        }

        if (address is null)
        {
            throw NeutronErrors.BadRequest("ExternalIpAddressExhausted", $"Unable to find any IP address on external network {networkId}.");
        }

        // The address belongs to a port of its own on the external network, as in neutron (project '' and no groups).
        var port = new PortRecord
        {
            Id = portId,
            NetworkId = networkId,
            ProjectId = "",
            MacAddress = NewMac(),
            FixedIps = [address],
            DeviceId = id,
            DeviceOwner = DeviceOwners.FloatingIp,
            Status = StatusFor(DeviceOwners.FloatingIp, id, ""),
            PortSecurityEnabled = false,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await NeutronTables.Ports.InsertAsync(c, t, port, cancellationToken);
        var floatingIp = new FloatingIpRecord
        {
            Id = id,
            ProjectId = project,
            FloatingNetworkId = networkId,
            FloatingIpAddress = address.IpAddress,
            FloatingSubnetId = address.SubnetId,
            FloatingPortId = portId,
            Description = NeutronInput.String(item, "description") ?? "",
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (NeutronInput.Uuid(item, "port_id", nullable: true) is { } target)
        {
            floatingIp = await MapAsync(c, t, caller, floatingIp, target, NeutronInput.String(item, "fixed_ip_address", 64, nullable: true), cancellationToken);
        }

        await NeutronTables.FloatingIps.InsertAsync(c, t, floatingIp, cancellationToken);
        return floatingIp;
    }

    /// <summary>
    /// Maps the floating IP to one of the port's fixed IPv4 addresses. The port's subnet must reach the floating
    /// network through a router (neutron's ExternalGatewayForFloatingIPNotFound otherwise), and a fixed IP has at
    /// most one floating IP per external network.
    /// </summary>
    private static async Task<FloatingIpRecord> MapAsync(DbConnection c, DbTransaction t, RequestContext caller, FloatingIpRecord floatingIp, string portId, string? fixedIp, CancellationToken cancellationToken)
    {
        var port = await NeutronTables.Ports.FindAsync(c, t, portId, cancellationToken);
        if (port is null || (!caller.IsAdmin && port.ProjectId != floatingIp.ProjectId))
        {
            throw NeutronErrors.PortNotFound(portId);
        }

        if (port.NetworkId == floatingIp.FloatingNetworkId || DeviceOwners.IsNetworkOwned(port.DeviceOwner))
        {
            throw NeutronErrors.BadRequest("BadRequest", $"Bad floatingip request: Port {portId} is not a valid port for a floating IP.");
        }

        var v4 = port.FixedIps.Where(f => IpMath.TryParse(f.IpAddress, out _, out var version) && version == 4).ToList();
        FixedIpRecord chosen;
        if (fixedIp is not null)
        {
            var normalized = IpMath.Normalize(fixedIp) ?? throw NeutronErrors.InvalidAttribute("fixed_ip_address", $"'{fixedIp}' is not a valid IP address");
            chosen = v4.FirstOrDefault(f => f.IpAddress == normalized)
                ?? throw NeutronErrors.BadRequest("BadRequest", $"Bad floatingip request: Port {portId} does not have fixed ip {fixedIp}.");
        }
        else
        {
            chosen = v4.Count switch
            {
                0 => throw NeutronErrors.BadRequest("BadRequest", $"Bad floatingip request: No IPv4 addresses found on port {portId}."),
                1 => v4[0],
                _ => throw NeutronErrors.BadRequest("BadRequest", $"Bad floatingip request: Port {portId} has multiple fixed IPv4 addresses. Must provide a specific IPv4 address when assigning a floating IP."),
            };
        }

        var routerId = await RouterBetweenAsync(c, t, port.NetworkId, chosen.SubnetId, floatingIp.FloatingNetworkId, cancellationToken)
            ?? throw new ApiException(404,
                $"External network {floatingIp.FloatingNetworkId} is not reachable from subnet {chosen.SubnetId}.  Therefore, cannot associate Port {portId} with a Floating IP.",
                "ExternalGatewayForFloatingIPNotFound");
        var clash = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT id FROM net_floating_ips WHERE floating_network_id = @network AND port_id = @portId AND fixed_ip_address = @fixed AND id <> @id",
            new { network = floatingIp.FloatingNetworkId, portId, @fixed = chosen.IpAddress, id = floatingIp.Id }, t, cancellationToken: cancellationToken));
        if (clash is not null)
        {
            throw NeutronErrors.Conflict("FloatingIPPortAlreadyAssociated",
                $"Cannot associate floating IP {floatingIp.FloatingIpAddress} ({floatingIp.Id}) with port {portId} using fixed IP {chosen.IpAddress}, as that fixed IP already has a floating IP on external network {floatingIp.FloatingNetworkId}.");
        }

        return floatingIp with { PortId = portId, FixedIpAddress = chosen.IpAddress, RouterId = routerId, Status = "ACTIVE" };
    }

    /// <summary>A router with an interface on the subnet and its gateway on the external network.</summary>
    private static async Task<string?> RouterBetweenAsync(DbConnection c, DbTransaction t, string networkId, string subnetId, string externalNetworkId, CancellationToken cancellationToken)
    {
        var interfaces = await NeutronTables.Ports.WhereAsync(c, t, "network_id = @networkId AND device_owner = @owner",
            new { networkId, owner = DeviceOwners.RouterInterface }, cancellationToken);
        foreach (var routerId in interfaces.Where(p => p.FixedIps.Any(f => f.SubnetId == subnetId)).Select(p => p.DeviceId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var router = await NeutronTables.Routers.FindAsync(c, t, routerId, cancellationToken);
            if (router?.Gateway?.NetworkId == externalNetworkId)
            {
                return router.Id;
            }
        }

        return null;
    }

    private static FloatingIpRecord Unmapped(FloatingIpRecord floatingIp) => floatingIp with { PortId = null, FixedIpAddress = null, RouterId = null, Status = "DOWN" };

    /// <summary>Unmaps the floating IPs of a port (or of one of its fixed addresses).</summary>
    private async Task DisassociateFloatingIpsAsync(DbConnection c, DbTransaction t, string portId, string? fixedIp, CancellationToken cancellationToken)
    {
        var mapped = await NeutronTables.FloatingIps.WhereAsync(c, t, "port_id = @portId", new { portId }, cancellationToken);
        foreach (var floatingIp in mapped.Where(f => fixedIp is null || f.FixedIpAddress == fixedIp))
        {
            await NeutronTables.FloatingIps.UpdateAsync(c, t, Unmapped(floatingIp) with { UpdatedAt = Now, RevisionNumber = floatingIp.RevisionNumber + 1 }, cancellationToken);
        }
    }

    private static async Task DeleteFloatingIpRowsAsync(DbConnection c, DbTransaction t, FloatingIpRecord floatingIp, CancellationToken cancellationToken)
    {
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM net_ip_allocations WHERE port_id = @id", new { id = floatingIp.FloatingPortId }, t, cancellationToken: cancellationToken));
        await NeutronTables.Ports.DeleteAsync(c, t, floatingIp.FloatingPortId, cancellationToken);
        await NeutronTables.FloatingIps.DeleteAsync(c, t, floatingIp.Id, cancellationToken);
    }

    private static async Task<FloatingIpRecord> VisibleFloatingIpAsync(DbConnection c, DbTransaction? t, RequestContext caller, string id, CancellationToken cancellationToken)
    {
        var floatingIp = await NeutronTables.FloatingIps.FindAsync(c, t, id, cancellationToken);
        return floatingIp is not null && Owns(caller, floatingIp.ProjectId) ? floatingIp : throw NeutronErrors.FloatingIpNotFound(id);
    }

    private static async Task<JsonObject> RenderFloatingIpAsync(DbConnection c, DbTransaction? t, FloatingIpRecord floatingIp, CancellationToken cancellationToken) =>
        NeutronViews.FloatingIp(floatingIp, floatingIp.PortId is null ? null : await NeutronTables.Ports.FindAsync(c, t, floatingIp.PortId, cancellationToken));
}
