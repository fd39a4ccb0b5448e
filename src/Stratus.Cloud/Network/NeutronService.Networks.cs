using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Stratus.Cloud.Network.Api;
using Stratus.Cloud.Network.Model;
using Stratus.Cloud.Network.Storage;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Network;

/// <summary>Networks: a member sees its own, shared and external networks; admin sees all.</summary>
internal sealed partial class NeutronService
{
    private static readonly HashSet<string> NetworkCreateAttributes = new(StringComparer.Ordinal)
    {
        "name", "admin_state_up", "shared", "router:external", "description", "mtu", "port_security_enabled", "is_default",
        "provider:network_type", "provider:physical_network", "provider:segmentation_id", "availability_zone_hints", "tenant_id", "project_id",
    };

    private static readonly HashSet<string> NetworkUpdateAttributes = new(StringComparer.Ordinal)
    {
        "name", "admin_state_up", "shared", "router:external", "description", "mtu", "port_security_enabled", "is_default",
        "provider:network_type", "provider:physical_network", "provider:segmentation_id",
    };

    private static readonly string[] NetworkTypes = ["vxlan", "geneve", "vlan", "flat", "local"];

    public async Task<IReadOnlyList<JsonObject>> ListNetworksAsync(RequestContext caller, CancellationToken cancellationToken) =>
        await ReadAsync(async c =>
        {
            var networks = caller.IsAdmin
                ? await NeutronTables.Networks.WhereAsync(c, null, "", null, cancellationToken)
                : await NeutronTables.Networks.WhereAsync(c, null, "project_id = @project OR shared = 1 OR external = 1", new { project = caller.ProjectId ?? "" }, cancellationToken);
            var subnets = await SubnetIdsByNetworkAsync(c, null, networks.Select(n => n.Id), cancellationToken);
            return networks.Select(n => NeutronViews.Network(n, subnets.GetValueOrDefault(n.Id) ?? [], caller.IsAdmin)).ToList();
        }, cancellationToken);

    public Task<JsonObject> GetNetworkAsync(RequestContext caller, string id, CancellationToken cancellationToken) =>
        ReadAsync(async c =>
        {
            var network = await VisibleNetworkAsync(c, null, id, caller.ProjectId, caller.IsAdmin, cancellationToken) ?? throw NeutronErrors.NetworkNotFound(id);
            return await RenderNetworkAsync(c, null, network, caller, cancellationToken);
        }, cancellationToken);

    public Task<IReadOnlyList<JsonObject>> CreateNetworksAsync(RequestContext caller, IReadOnlyList<JsonObject> items, CancellationToken cancellationToken)
    {
        RequireWriter(caller, "create_network");
        return WriteAsync<IReadOnlyList<JsonObject>>(async (c, t) =>
        {
            var created = new List<JsonObject>();
            foreach (var item in items)
            {
                var network = await CreateNetworkAsync(c, t, caller, item, cancellationToken);
                created.Add(NeutronViews.Network(network, [], caller.IsAdmin));
            }

            return created;
        }, cancellationToken);
    }

    public Task<JsonObject> UpdateNetworkAsync(RequestContext caller, string id, JsonObject item, CancellationToken cancellationToken)
    {
        NeutronInput.AllowOnly(item, NetworkUpdateAttributes);
        return WriteAsync(async (c, t) =>
        {
            var network = await VisibleNetworkAsync(c, t, id, caller.ProjectId, caller.IsAdmin, cancellationToken) ?? throw NeutronErrors.NetworkNotFound(id);
            if (!Owns(caller, network.ProjectId) || !caller.CanWrite)
            {
                throw NeutronErrors.PolicyNotAuthorized("update_network");
            }

            if (item.ContainsKey("provider:network_type") || item.ContainsKey("provider:physical_network") || item.ContainsKey("provider:segmentation_id"))
            {
                throw NeutronErrors.InvalidInput("Plugin does not support updating provider attributes");
            }

            var shared = NeutronInput.Bool(item, "shared");
            var external = NeutronInput.Bool(item, "router:external");
            if ((shared is not null && shared != network.Shared) || (external is not null && external != network.External))
            {
                if (!caller.IsAdmin)
                {
                    throw NeutronErrors.PolicyNotAuthorized(shared is not null ? "update_network:shared" : "update_network:router:external");
                }
            }

            if (external == false && network.External)
            {
                var gateways = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COUNT(*) FROM net_ports WHERE network_id = @id AND device_owner IN ('network:router_gateway', 'network:floatingip')", new { id }, t, cancellationToken: cancellationToken));
                if (gateways > 0)
                {
                    throw NeutronErrors.Conflict("ExternalNetworkInUse", $"External network {id} cannot be updated to be made non-external, since it has existing gateway ports.");
                }
            }

            if (shared == false && network.Shared)
            {
                var foreign = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COUNT(*) FROM net_ports WHERE network_id = @id AND project_id <> @owner AND project_id <> ''", new { id, owner = network.ProjectId }, t, cancellationToken: cancellationToken));
                if (foreign > 0)
                {
                    throw NeutronErrors.Conflict("InvalidSharedSetting", $"Unable to reconfigure sharing settings for network {id}. Multiple projects are using it.");
                }
            }

            var updated = network with
            {
                Name = NeutronInput.String(item, "name") ?? network.Name,
                Description = NeutronInput.String(item, "description") ?? network.Description,
                AdminStateUp = NeutronInput.Bool(item, "admin_state_up") ?? network.AdminStateUp,
                Shared = shared ?? network.Shared,
                External = external ?? network.External,
                Mtu = (int?)NeutronInput.Integer(item, "mtu", 68, 9216) ?? network.Mtu,
                PortSecurityEnabled = NeutronInput.Bool(item, "port_security_enabled") ?? network.PortSecurityEnabled,
                IsDefault = NeutronInput.Bool(item, "is_default") ?? network.IsDefault,
                UpdatedAt = Now,
                RevisionNumber = network.RevisionNumber + 1,
            };
            await NeutronTables.Networks.UpdateAsync(c, t, updated, cancellationToken);
            return await RenderNetworkAsync(c, t, updated, caller, cancellationToken);
        }, cancellationToken);
    }

    public Task DeleteNetworkAsync(RequestContext caller, string id, CancellationToken cancellationToken) =>
        WriteAsync(async (c, t) =>
        {
            var network = await VisibleNetworkAsync(c, t, id, caller.ProjectId, caller.IsAdmin, cancellationToken) ?? throw NeutronErrors.NetworkNotFound(id);
            if (!Owns(caller, network.ProjectId) || !caller.CanWrite)
            {
                throw NeutronErrors.PolicyNotAuthorized("delete_network");
            }

            var ports = await NeutronTables.Ports.WhereAsync(c, t, "network_id = @id", new { id }, cancellationToken);
            if (ports.Any(p => p.DeviceOwner != DeviceOwners.Dhcp))
            {
                throw NeutronErrors.Conflict("NetworkInUse", $"Unable to complete operation on network {id}. There are one or more ports still in use on the network.");
            }

            foreach (var port in ports)
            {
                await DeletePortRowsAsync(c, t, port, cancellationToken);
            }

            await c.ExecuteAsync(new CommandDefinition("DELETE FROM net_ip_allocations WHERE network_id = @id", new { id }, t, cancellationToken: cancellationToken));
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM net_subnets WHERE network_id = @id", new { id }, t, cancellationToken: cancellationToken));
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM net_segments WHERE network_id = @id", new { id }, t, cancellationToken: cancellationToken));
            await NeutronTables.Networks.DeleteAsync(c, t, id, cancellationToken);
            return 0;
        }, cancellationToken);

    private async Task<NetworkRecord> CreateNetworkAsync(DbConnection c, DbTransaction t, RequestContext caller, JsonObject item, CancellationToken cancellationToken)
    {
        NeutronInput.AllowOnly(item, NetworkCreateAttributes);
        var project = NeutronInput.ProjectFor(item, caller);
        await EnforceQuotaAsync(c, t, project, "network", cancellationToken);
        var shared = NeutronInput.Bool(item, "shared") ?? false;
        var external = NeutronInput.Bool(item, "router:external") ?? false;
        if (shared && !caller.IsAdmin)
        {
            throw NeutronErrors.PolicyNotAuthorized("create_network:shared");
        }

        if (external && !caller.IsAdmin)
        {
            throw NeutronErrors.PolicyNotAuthorized("create_network:router:external");
        }

        var type = NeutronInput.String(item, "provider:network_type");
        var physical = NeutronInput.String(item, "provider:physical_network", nullable: true);
        var segment = NeutronInput.Integer(item, "provider:segmentation_id", 1, (1 << 24) - 1, nullable: true);
        if ((type is not null || physical is not null || segment is not null) && !caller.IsAdmin)
        {
            throw NeutronErrors.PolicyNotAuthorized("create_network:provider:network_type");
        }

        type ??= "vxlan";
        if (!NetworkTypes.Contains(type))
        {
            throw NeutronErrors.InvalidInput($"network_type value '{type}' not supported");
        }

        switch (type)
        {
            case "flat":
                if (physical is null || segment is not null)
                {
                    throw NeutronErrors.InvalidInput(physical is null ? "provider:physical_network required for flat provider network" : "segmentation_id specified for flat provider network");
                }

                if (await SegmentTakenAsync(c, t, type, physical, 0, cancellationToken))
                {
                    throw NeutronErrors.Conflict("FlatNetworkInUse", $"Unable to create the flat network. Physical network {physical} is in use.");
                }

                break;
            case "vlan":
                if (physical is null || segment is null or > 4094)
                {
                    throw NeutronErrors.InvalidInput("vlan provider networks need provider:physical_network and a provider:segmentation_id from 1 to 4094");
                }

                if (await SegmentTakenAsync(c, t, type, physical, segment.Value, cancellationToken))
                {
                    throw NeutronErrors.Conflict("VlanIdInUse", $"Unable to create the network. The VLAN {segment} on physical network {physical} is in use.");
                }

                break;
            case "local":
                if (physical is not null || segment is not null)
                {
                    throw NeutronErrors.InvalidInput("local networks take neither provider:physical_network nor provider:segmentation_id");
                }

                break;
            default:
                if (physical is not null)
                {
                    throw NeutronErrors.InvalidInput($"provider:physical_network specified for {type} network");
                }

                if (segment is { } wanted)
                {
                    if (await SegmentTakenAsync(c, t, type, "", wanted, cancellationToken))
                    {
                        throw NeutronErrors.Conflict("TunnelIdInUse", $"Unable to create the network. The tunnel ID {wanted} is in use.");
                    }
                }
                else
                {
                    // Tunnel ids come from a sequence, skipping any an admin already chose by hand.
                    long next;
                    do
                    {
                        next = await Sequences.NextAsync(c, t, "network.tunnel_id", cancellationToken);
                    }
                    while (await SegmentTakenAsync(c, t, type, "", next, cancellationToken));
                    segment = next;
                }

                break;
        }

        var now = Now;
        var network = new NetworkRecord
        {
            Id = NewId(),
            ProjectId = project,
            Name = NeutronInput.String(item, "name") ?? "",
            Description = NeutronInput.String(item, "description") ?? "",
            AdminStateUp = NeutronInput.Bool(item, "admin_state_up") ?? true,
            Shared = shared,
            External = external,
            NetworkType = type,
            PhysicalNetwork = physical,
            SegmentationId = segment,
            Mtu = (int?)NeutronInput.Integer(item, "mtu", 68, 9216) ?? (type is "vxlan" or "geneve" ? 1450 : 1500),
            PortSecurityEnabled = NeutronInput.Bool(item, "port_security_enabled") ?? true,
            IsDefault = NeutronInput.Bool(item, "is_default") ?? false,
            AvailabilityZoneHints = NeutronInput.StringList(item, "availability_zone_hints") ?? [],
            CreatedAt = now,
            UpdatedAt = now,
        };
        await NeutronTables.Networks.InsertAsync(c, t, network, cancellationToken);
        if (type != "local")
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO net_segments (network_type, physical_network, segmentation_id, network_id) VALUES (@type, @physical, @segment, @id)",
                new { type, physical = physical ?? "", segment = segment ?? 0, id = network.Id }, t, cancellationToken: cancellationToken));
        }

        LogNetworkCreated(logger, network.Id, network.Name, network.ProjectId);
        return network;
    }

    private static async Task<bool> SegmentTakenAsync(DbConnection c, DbTransaction t, string type, string physical, long segment, CancellationToken cancellationToken) =>
        await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM net_segments WHERE network_type = @type AND physical_network = @physical AND segmentation_id = @segment",
            new { type, physical, segment }, t, cancellationToken: cancellationToken)) > 0;

    private static async Task<JsonObject> RenderNetworkAsync(DbConnection c, DbTransaction? t, NetworkRecord network, RequestContext caller, CancellationToken cancellationToken)
    {
        var subnets = await SubnetIdsByNetworkAsync(c, t, [network.Id], cancellationToken);
        return NeutronViews.Network(network, subnets.GetValueOrDefault(network.Id) ?? [], caller.IsAdmin);
    }
}
