using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Stratus.Cloud.Network.Api;
using Stratus.Cloud.Network.Model;
using Stratus.Cloud.Network.Storage;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Network;

/// <summary>
/// Routers (neutron db/l3_db.py): a gateway port on an external network and interface ports on tenant subnets
/// (each holding its subnet's gateway address). They decide which fixed IPs a floating IP can reach.
/// </summary>
internal sealed partial class NeutronService
{
    private static readonly HashSet<string> RouterCreateAttributes = new(StringComparer.Ordinal)
    {
        "name", "description", "admin_state_up", "external_gateway_info", "tenant_id", "project_id", "availability_zone_hints", "distributed", "ha",
    };

    private static readonly HashSet<string> RouterUpdateAttributes = new(StringComparer.Ordinal) { "name", "description", "admin_state_up", "external_gateway_info", "routes" };

    private static readonly HashSet<string> GatewayAttributes = new(StringComparer.Ordinal) { "network_id", "enable_snat", "external_fixed_ips" };

    public Task<IReadOnlyList<JsonObject>> ListRoutersAsync(RequestContext caller, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<JsonObject>>(async c =>
        {
            var routers = caller.IsAdmin
                ? await NeutronTables.Routers.WhereAsync(c, null, "", null, cancellationToken)
                : await NeutronTables.Routers.WhereAsync(c, null, "project_id = @project", new { project = caller.ProjectId ?? "" }, cancellationToken);
            var gatewayPorts = (await NeutronTables.Ports.InAsync(c, null, "id", routers.Where(r => r.Gateway is not null).Select(r => r.Gateway!.PortId), cancellationToken))
                .ToDictionary(p => p.Id, StringComparer.Ordinal);
            return routers.Select(r => NeutronViews.Router(r, r.Gateway is null ? null : gatewayPorts.GetValueOrDefault(r.Gateway.PortId))).ToList();
        }, cancellationToken);

    public Task<JsonObject> GetRouterAsync(RequestContext caller, string id, CancellationToken cancellationToken) =>
        ReadAsync(async c => await RenderRouterAsync(c, null, await VisibleRouterAsync(c, null, caller, id, cancellationToken), cancellationToken), cancellationToken);

    public Task<IReadOnlyList<JsonObject>> CreateRoutersAsync(RequestContext caller, IReadOnlyList<JsonObject> items, CancellationToken cancellationToken)
    {
        RequireWriter(caller, "create_router");
        return WriteAsync<IReadOnlyList<JsonObject>>(async (c, t) =>
        {
            var created = new List<JsonObject>();
            foreach (var item in items)
            {
                NeutronInput.AllowOnly(item, RouterCreateAttributes);
                if ((NeutronInput.Bool(item, "distributed") == true || NeutronInput.Bool(item, "ha") == true) && !caller.IsAdmin)
                {
                    throw NeutronErrors.PolicyNotAuthorized("create_router:distributed");
                }

                var project = NeutronInput.ProjectFor(item, caller);
                await EnforceQuotaAsync(c, t, project, "router", cancellationToken);
                var now = Now;
                var router = new RouterRecord
                {
                    Id = NewId(),
                    ProjectId = project,
                    Name = NeutronInput.String(item, "name") ?? "",
                    Description = NeutronInput.String(item, "description") ?? "",
                    AdminStateUp = NeutronInput.Bool(item, "admin_state_up") ?? true,
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                if (item["external_gateway_info"] is JsonObject gateway)
                {
                    router = router with { Gateway = await CreateGatewayAsync(c, t, caller, router, gateway, cancellationToken) };
                }

                await NeutronTables.Routers.InsertAsync(c, t, router, cancellationToken);
                created.Add(await RenderRouterAsync(c, t, router, cancellationToken));
            }

            return created;
        }, cancellationToken);
    }

    public Task<JsonObject> UpdateRouterAsync(RequestContext caller, string id, JsonObject item, CancellationToken cancellationToken)
    {
        NeutronInput.AllowOnly(item, RouterUpdateAttributes);
        return WriteAsync(async (c, t) =>
        {
            var router = await VisibleRouterAsync(c, t, caller, id, cancellationToken);
            RequireWriter(caller, "update_router");
            if (NeutronInput.ObjectList(item, "routes") is { Count: > 0 })
            {
                throw NeutronErrors.BadRequest("HTTPBadRequest", "Extra routes are not supported.");
            }

            var updated = router with
            {
                Name = NeutronInput.String(item, "name") ?? router.Name,
                Description = NeutronInput.String(item, "description") ?? router.Description,
                AdminStateUp = NeutronInput.Bool(item, "admin_state_up") ?? router.AdminStateUp,
                UpdatedAt = Now,
                RevisionNumber = router.RevisionNumber + 1,
            };
            if (item.ContainsKey("external_gateway_info"))
            {
                var wanted = item["external_gateway_info"] as JsonObject;
                var wantedNetwork = wanted is null || wanted.Count == 0 ? null : NeutronInput.Uuid(wanted, "network_id");
                if (router.Gateway is { } current && wantedNetwork != current.NetworkId)
                {
                    await RemoveGatewayAsync(c, t, router, current, cancellationToken);
                    updated = updated with { Gateway = null };
                }

                if (wanted is { Count: > 0 })
                {
                    updated = updated.Gateway is { } kept && wantedNetwork == kept.NetworkId
                        ? updated with { Gateway = kept with { EnableSnat = caller.IsAdmin ? NeutronInput.Bool(wanted, "enable_snat") ?? kept.EnableSnat : kept.EnableSnat } }
                        : updated with { Gateway = await CreateGatewayAsync(c, t, caller, router, wanted, cancellationToken) };
                }
            }

            await NeutronTables.Routers.UpdateAsync(c, t, updated, cancellationToken);
            return await RenderRouterAsync(c, t, updated, cancellationToken);
        }, cancellationToken);
    }

    public Task DeleteRouterAsync(RequestContext caller, string id, CancellationToken cancellationToken) =>
        WriteAsync(async (c, t) =>
        {
            var router = await VisibleRouterAsync(c, t, caller, id, cancellationToken);
            RequireWriter(caller, "delete_router");
            var interfaces = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM net_ports WHERE device_id = @id AND device_owner = @owner", new { id, owner = DeviceOwners.RouterInterface }, t, cancellationToken: cancellationToken));
            if (interfaces > 0)
            {
                throw NeutronErrors.Conflict("RouterInUse", $"Router {id} still has ports");
            }

            if (router.Gateway is { } gateway)
            {
                await RemoveGatewayAsync(c, t, router, gateway, cancellationToken);
            }

            await NeutronTables.Routers.DeleteAsync(c, t, id, cancellationToken);
            return 0;
        }, cancellationToken);

    /// <summary><c>PUT /routers/{id}/add_router_interface</c> with a subnet (the port takes its gateway address) or a port.</summary>
    public Task<JsonObject> AddInterfaceAsync(RequestContext caller, string id, JsonObject body, CancellationToken cancellationToken) =>
        WriteAsync(async (c, t) =>
        {
            var router = await VisibleRouterAsync(c, t, caller, id, cancellationToken);
            RequireWriter(caller, "add_router_interface");
            var (subnetId, portId) = InterfaceTarget(body);
            PortRecord port;
            if (subnetId is not null)
            {
                var subnet = await VisibleSubnetAsync(c, t, caller, subnetId, cancellationToken);
                if (subnet.GatewayIp is null)
                {
                    throw NeutronErrors.BadRequest("BadRequest", "Bad router request: Subnet for router interface must have a gateway IP.");
                }

                await RequireNoInterfaceOnSubnetAsync(c, t, router.Id, subnet, cancellationToken);
                var network = await NeutronTables.Networks.FindAsync(c, t, subnet.NetworkId, cancellationToken) ?? throw NeutronErrors.NetworkNotFound(subnet.NetworkId);
                if (network.External)
                {
                    throw NeutronErrors.BadRequest("BadRequest", $"Bad router request: Router {id} cannot have an interface on external network {network.Id}; use external_gateway_info.");
                }

                port = await CreatePortAsync(c, t, new PortSpec(network, router.ProjectId)
                {
                    FixedIps = [new RequestedFixedIp(subnet.Id, subnet.GatewayIp)],
                    DeviceId = router.Id,
                    DeviceOwner = DeviceOwners.RouterInterface,
                    SecurityGroups = [],
                    PortSecurityEnabled = false,
                }, cancellationToken);
            }
            else
            {
                port = await VisiblePortAsync(c, t, caller, portId!, cancellationToken);
                if (port.DeviceId.Length > 0)
                {
                    throw NeutronErrors.Conflict("PortInUse", $"Unable to complete operation on port {port.Id} for network {port.NetworkId}. Port already has an attached device {port.DeviceId}.");
                }

                if (port.FixedIps.Count == 0)
                {
                    throw NeutronErrors.BadRequest("BadRequest", $"Bad router request: Router port must have at least one fixed IP.");
                }

                foreach (var fixedIp in port.FixedIps)
                {
                    var subnet = await NeutronTables.Subnets.FindAsync(c, t, fixedIp.SubnetId, cancellationToken) ?? throw NeutronErrors.SubnetNotFound(fixedIp.SubnetId);
                    await RequireNoInterfaceOnSubnetAsync(c, t, router.Id, subnet, cancellationToken);
                }

                await c.ExecuteAsync(new CommandDefinition("DELETE FROM net_port_security_groups WHERE port_id = @id", new { id = port.Id }, t, cancellationToken: cancellationToken));
                port = port with
                {
                    DeviceId = router.Id,
                    DeviceOwner = DeviceOwners.RouterInterface,
                    SecurityGroups = [],
                    Status = StatusFor(DeviceOwners.RouterInterface, router.Id, ""),
                    UpdatedAt = Now,
                    RevisionNumber = port.RevisionNumber + 1,
                };
                await NeutronTables.Ports.UpdateAsync(c, t, port, cancellationToken);
            }

            return InterfaceInfo(router, port);
        }, cancellationToken);

    /// <summary><c>PUT /routers/{id}/remove_router_interface</c>: by subnet or by port; refused while floating IPs depend on it.</summary>
    public Task<JsonObject> RemoveInterfaceAsync(RequestContext caller, string id, JsonObject body, CancellationToken cancellationToken) =>
        WriteAsync(async (c, t) =>
        {
            var router = await VisibleRouterAsync(c, t, caller, id, cancellationToken);
            RequireWriter(caller, "remove_router_interface");
            var (subnetId, portId) = InterfaceTarget(body);
            var interfaces = await NeutronTables.Ports.WhereAsync(c, t, "device_id = @id AND device_owner = @owner", new { id, owner = DeviceOwners.RouterInterface }, cancellationToken);
            var port = subnetId is not null
                ? interfaces.FirstOrDefault(p => p.FixedIps.Any(f => f.SubnetId == subnetId))
                    ?? throw new ApiException(404, $"Router {id} has no interface on subnet {subnetId}", "RouterInterfaceNotFoundForSubnet")
                : interfaces.FirstOrDefault(p => p.Id == portId)
                    ?? throw new ApiException(404, $"Router {id} does not have an interface with id {portId}", "RouterInterfaceNotFound");
            foreach (var fixedIp in port.FixedIps)
            {
                var dependants = await NeutronTables.FloatingIps.WhereAsync(c, t, "router_id = @id", new { id }, cancellationToken);
                foreach (var floatingIp in dependants)
                {
                    var mapped = floatingIp.PortId is null ? null : await NeutronTables.Ports.FindAsync(c, t, floatingIp.PortId, cancellationToken);
                    if (mapped is not null && mapped.FixedIps.Any(f => f.SubnetId == fixedIp.SubnetId && f.IpAddress == floatingIp.FixedIpAddress))
                    {
                        throw NeutronErrors.Conflict("RouterInterfaceInUseByFloatingIP",
                            $"Router interface for subnet {fixedIp.SubnetId} on router {id} cannot be deleted, as it is required by one or more floating IPs.");
                    }
                }
            }

            await DeletePortRowsAsync(c, t, port, cancellationToken);
            return InterfaceInfo(router, port);
        }, cancellationToken);

    private async Task<RouterGatewayRecord> CreateGatewayAsync(DbConnection c, DbTransaction t, RequestContext caller, RouterRecord router, JsonObject gateway, CancellationToken cancellationToken)
    {
        NeutronInput.AllowOnly(gateway, GatewayAttributes);
        NeutronInput.Require(gateway, "network_id");
        var networkId = NeutronInput.Uuid(gateway, "network_id")!;
        var network = await VisibleNetworkAsync(c, t, networkId, caller.ProjectId, caller.IsAdmin, cancellationToken) ?? throw NeutronErrors.NetworkNotFound(networkId);
        if (!network.External)
        {
            throw NeutronErrors.BadRequest("BadRequest", $"Bad router request: Network {networkId} is not an external network.");
        }

        var snat = NeutronInput.Bool(gateway, "enable_snat");
        if (snat is not null && !caller.IsAdmin)
        {
            throw NeutronErrors.PolicyNotAuthorized("create_router:external_gateway_info:enable_snat");
        }

        IReadOnlyList<RequestedFixedIp>? fixedIps = null;
        if (NeutronInput.ObjectList(gateway, "external_fixed_ips") is { } requested)
        {
            if (!caller.IsAdmin)
            {
                throw NeutronErrors.PolicyNotAuthorized("create_router:external_gateway_info:external_fixed_ips");
            }

            fixedIps = requested.Select(r => new RequestedFixedIp(NeutronInput.String(r, "subnet_id", 64), NeutronInput.String(r, "ip_address", 64))).ToList();
        }

        // Neutron gives the gateway one address per IP version unless told otherwise; no subnets means none.
        var port = await CreatePortAsync(c, t, new PortSpec(network, "")
        {
            FixedIps = fixedIps,
            DeviceId = router.Id,
            DeviceOwner = DeviceOwners.RouterGateway,
            SecurityGroups = [],
            PortSecurityEnabled = false,
        }, cancellationToken);
        return new RouterGatewayRecord(networkId, snat ?? true, port.Id);
    }

    private async Task RemoveGatewayAsync(DbConnection c, DbTransaction t, RouterRecord router, RouterGatewayRecord gateway, CancellationToken cancellationToken)
    {
        var dependants = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM net_floating_ips WHERE router_id = @id", new { id = router.Id }, t, cancellationToken: cancellationToken));
        if (dependants > 0)
        {
            throw NeutronErrors.Conflict("RouterExternalGatewayInUseByFloatingIp",
                $"Gateway cannot be updated for router {router.Id}, since a gateway to external network {gateway.NetworkId} is required by one or more floating IPs.");
        }

        if (await NeutronTables.Ports.FindAsync(c, t, gateway.PortId, cancellationToken) is { } port)
        {
            await DeletePortRowsAsync(c, t, port, cancellationToken);
        }
    }

    private static async Task RequireNoInterfaceOnSubnetAsync(DbConnection c, DbTransaction t, string routerId, SubnetRecord subnet, CancellationToken cancellationToken)
    {
        var interfaces = await NeutronTables.Ports.WhereAsync(c, t, "device_id = @routerId AND device_owner = @owner", new { routerId, owner = DeviceOwners.RouterInterface }, cancellationToken);
        if (interfaces.Any(p => p.FixedIps.Any(f => f.SubnetId == subnet.Id)))
        {
            throw NeutronErrors.BadRequest("BadRequest", $"Bad router request: Router already has a port on subnet {subnet.Id}.");
        }
    }

    private static (string? SubnetId, string? PortId) InterfaceTarget(JsonObject body)
    {
        var subnetId = NeutronInput.Uuid(body, "subnet_id");
        var portId = NeutronInput.Uuid(body, "port_id");
        return (subnetId, portId) switch
        {
            (not null, not null) => throw NeutronErrors.BadRequest("BadRequest", "Bad router request: Cannot specify both subnet-id and port-id."),
            (null, null) => throw NeutronErrors.BadRequest("BadRequest", "Bad router request: Either subnet_id or port_id must be specified."),
            _ => (subnetId, portId),
        };
    }

    private static JsonObject InterfaceInfo(RouterRecord router, PortRecord port) => new()
    {
        ["id"] = router.Id,
        ["tenant_id"] = router.ProjectId,
        ["project_id"] = router.ProjectId,
        ["port_id"] = port.Id,
        ["network_id"] = port.NetworkId,
        ["subnet_id"] = port.FixedIps.Count > 0 ? port.FixedIps[0].SubnetId : null,
        ["subnet_ids"] = new JsonArray(port.FixedIps.Select(f => f.SubnetId).Distinct(StringComparer.Ordinal).Select(s => (JsonNode?)s).ToArray()),
    };

    private static async Task<RouterRecord> VisibleRouterAsync(DbConnection c, DbTransaction? t, RequestContext caller, string id, CancellationToken cancellationToken)
    {
        var router = await NeutronTables.Routers.FindAsync(c, t, id, cancellationToken);
        return router is not null && Owns(caller, router.ProjectId) ? router : throw NeutronErrors.RouterNotFound(id);
    }

    private static async Task<JsonObject> RenderRouterAsync(DbConnection c, DbTransaction? t, RouterRecord router, CancellationToken cancellationToken) =>
        NeutronViews.Router(router, router.Gateway is null ? null : await NeutronTables.Ports.FindAsync(c, t, router.Gateway.PortId, cancellationToken));
}
