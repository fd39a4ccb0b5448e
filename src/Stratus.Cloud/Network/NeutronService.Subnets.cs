using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Stratus.Cloud.Network.Api;
using Stratus.Cloud.Network.Ipam;
using Stratus.Cloud.Network.Model;
using Stratus.Cloud.Network.Storage;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Network;

/// <summary>Subnets: the CIDR, gateway and allocation pools of a network (neutron db_base_plugin_v2 + ipam).</summary>
internal sealed partial class NeutronService
{
    private const int MaxDnsNameservers = 5;
    private const int MaxHostRoutes = 20;

    private static readonly HashSet<string> SubnetCreateAttributes = new(StringComparer.Ordinal)
    {
        "name", "network_id", "ip_version", "cidr", "gateway_ip", "enable_dhcp", "allocation_pools", "dns_nameservers", "host_routes",
        "description", "ipv6_ra_mode", "ipv6_address_mode", "subnetpool_id", "use_default_subnetpool", "service_types", "segment_id",
        "tenant_id", "project_id",
    };

    private static readonly HashSet<string> SubnetUpdateAttributes = new(StringComparer.Ordinal)
    {
        "name", "gateway_ip", "enable_dhcp", "allocation_pools", "dns_nameservers", "host_routes", "description", "service_types",
    };

    private static readonly string[] Ipv6Modes = ["slaac", "dhcpv6-stateful", "dhcpv6-stateless"];

    public Task<IReadOnlyList<JsonObject>> ListSubnetsAsync(RequestContext caller, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<JsonObject>>(async c =>
        {
            var subnets = caller.IsAdmin
                ? await NeutronTables.Subnets.WhereAsync(c, null, "", null, cancellationToken)
                : await NeutronTables.Subnets.WhereAsync(c, null,
                    "project_id = @project OR network_id IN (SELECT id FROM net_networks WHERE shared = 1 OR project_id = @project)",
                    new { project = caller.ProjectId ?? "" }, cancellationToken);
            return subnets.Select(NeutronViews.Subnet).ToList();
        }, cancellationToken);

    public Task<JsonObject> GetSubnetAsync(RequestContext caller, string id, CancellationToken cancellationToken) =>
        ReadAsync(async c => NeutronViews.Subnet(await VisibleSubnetAsync(c, null, caller, id, cancellationToken)), cancellationToken);

    public Task<IReadOnlyList<JsonObject>> CreateSubnetsAsync(RequestContext caller, IReadOnlyList<JsonObject> items, CancellationToken cancellationToken)
    {
        RequireWriter(caller, "create_subnet");
        return WriteAsync<IReadOnlyList<JsonObject>>(async (c, t) =>
        {
            var created = new List<JsonObject>();
            foreach (var item in items)
            {
                created.Add(NeutronViews.Subnet(await CreateSubnetAsync(c, t, caller, item, cancellationToken)));
            }

            return created;
        }, cancellationToken);
    }

    public Task<JsonObject> UpdateSubnetAsync(RequestContext caller, string id, JsonObject item, CancellationToken cancellationToken)
    {
        foreach (var readOnly in new[] { "cidr", "ip_version", "network_id", "subnetpool_id", "ipv6_ra_mode", "ipv6_address_mode", "tenant_id", "project_id" })
        {
            if (item.ContainsKey(readOnly))
            {
                throw NeutronErrors.BadRequest("HTTPBadRequest", $"Cannot update read-only attribute {readOnly}");
            }
        }

        NeutronInput.AllowOnly(item, SubnetUpdateAttributes);
        return WriteAsync(async (c, t) =>
        {
            var subnet = await VisibleSubnetAsync(c, t, caller, id, cancellationToken);
            if (!Owns(caller, subnet.ProjectId) || !caller.CanWrite)
            {
                throw NeutronErrors.PolicyNotAuthorized("update_subnet");
            }

            IpSubnet.TryParse(subnet.Cidr, out var cidr);
            var gateway = item.ContainsKey("gateway_ip") ? ParseGateway(item, cidr) : LayoutOf(subnet).Gateway;
            var pools = item.ContainsKey("allocation_pools") ? PoolsOf(item) : subnet.AllocationPools.Select(p => (p.Start, p.End)).ToList();
            var layout = SubnetLayout.Create(cidr, gateway, pools);
            if (item.ContainsKey("gateway_ip") && gateway is { } g && IpMath.ToText(g, cidr.Version) != subnet.GatewayIp)
            {
                var holder = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
                    "SELECT port_id FROM net_ip_allocations WHERE subnet_id = @id AND ip_address = @address",
                    new { id, address = IpMath.ToText(g, cidr.Version) }, t, cancellationToken: cancellationToken));
                if (holder is not null)
                {
                    throw NeutronErrors.Conflict("GatewayIpInUse", $"Current gateway ip {IpMath.ToText(g, cidr.Version)} already in use by port {holder}. Unable to update.");
                }
            }

            var updated = subnet with
            {
                Name = NeutronInput.String(item, "name") ?? subnet.Name,
                Description = NeutronInput.String(item, "description") ?? subnet.Description,
                EnableDhcp = NeutronInput.Bool(item, "enable_dhcp") ?? subnet.EnableDhcp,
                GatewayIp = layout.Gateway is { } gw ? IpMath.ToText(gw, cidr.Version) : null,
                AllocationPools = Pools(layout),
                DnsNameservers = item.ContainsKey("dns_nameservers") ? Nameservers(item, subnet.Id) : subnet.DnsNameservers,
                HostRoutes = item.ContainsKey("host_routes") ? HostRoutes(item, subnet.Id, cidr.Version) : subnet.HostRoutes,
                UpdatedAt = Now,
                RevisionNumber = subnet.RevisionNumber + 1,
            };
            await NeutronTables.Subnets.UpdateAsync(c, t, updated, cancellationToken);
            return NeutronViews.Subnet(updated);
        }, cancellationToken);
    }

    public Task DeleteSubnetAsync(RequestContext caller, string id, CancellationToken cancellationToken) =>
        WriteAsync(async (c, t) =>
        {
            var subnet = await VisibleSubnetAsync(c, t, caller, id, cancellationToken);
            if (!Owns(caller, subnet.ProjectId) || !caller.CanWrite)
            {
                throw NeutronErrors.PolicyNotAuthorized("delete_subnet");
            }

            var users = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                SELECT COUNT(*) FROM net_ip_allocations a JOIN net_ports p ON p.id = a.port_id
                WHERE a.subnet_id = @id AND p.device_owner <> 'network:dhcp'
                """, new { id }, t, cancellationToken: cancellationToken));
            if (users > 0)
            {
                throw NeutronErrors.Conflict("SubnetInUse", $"Unable to complete operation on subnet {id}: One or more ports have an IP allocation from this subnet.");
            }

            await c.ExecuteAsync(new CommandDefinition("DELETE FROM net_ip_allocations WHERE subnet_id = @id", new { id }, t, cancellationToken: cancellationToken));
            await NeutronTables.Subnets.DeleteAsync(c, t, id, cancellationToken);
            return 0;
        }, cancellationToken);

    private static async Task<SubnetRecord> VisibleSubnetAsync(DbConnection c, DbTransaction? t, RequestContext caller, string id, CancellationToken cancellationToken)
    {
        var subnet = await NeutronTables.Subnets.FindAsync(c, t, id, cancellationToken) ?? throw NeutronErrors.SubnetNotFound(id);
        if (caller.IsAdmin || subnet.ProjectId == caller.ProjectId)
        {
            return subnet;
        }

        var network = await NeutronTables.Networks.FindAsync(c, t, subnet.NetworkId, cancellationToken);
        return network is not null && (network.Shared || network.ProjectId == caller.ProjectId) ? subnet : throw NeutronErrors.SubnetNotFound(id);
    }

    private async Task<SubnetRecord> CreateSubnetAsync(DbConnection c, DbTransaction t, RequestContext caller, JsonObject item, CancellationToken cancellationToken)
    {
        NeutronInput.AllowOnly(item, SubnetCreateAttributes);
        NeutronInput.Require(item, "network_id");
        var networkId = NeutronInput.Uuid(item, "network_id")!;
        var network = await VisibleNetworkAsync(c, t, networkId, caller.ProjectId, caller.IsAdmin, cancellationToken) ?? throw NeutronErrors.NetworkNotFound(networkId);
        if (!Owns(caller, network.ProjectId))
        {
            throw NeutronErrors.PolicyNotAuthorized("create_subnet");
        }

        var project = NeutronInput.ProjectFor(item, caller);
        await EnforceQuotaAsync(c, t, project, "subnet", cancellationToken);
        if (NeutronInput.String(item, "subnetpool_id", nullable: true) is not null || NeutronInput.Bool(item, "use_default_subnetpool") == true)
        {
            throw NeutronErrors.BadRequest("BadRequest", "Bad subnets request: subnet pools are not supported; give a cidr.");
        }

        if (NeutronInput.StringList(item, "service_types") is { Count: > 0 })
        {
            throw NeutronErrors.BadRequest("BadRequest", "Bad subnets request: service types are not supported.");
        }

        NeutronInput.Require(item, "ip_version");
        var version = NeutronInput.Integer(item, "ip_version", long.MinValue, long.MaxValue);
        if (version is not (4 or 6))
        {
            throw NeutronErrors.InvalidAttribute("ip_version", $"{version} is not in [4, 6]");
        }

        var cidrText = NeutronInput.String(item, "cidr", 64, nullable: true)
            ?? throw NeutronErrors.BadRequest("BadRequest", "Bad subnets request: a subnetpool must be specified in the absence of a cidr.");
        if (IpSubnet.TryParse(cidrText, out var cidr) is { } reason)
        {
            throw NeutronErrors.InvalidAttribute("cidr", reason);
        }

        if (cidr.Version != version)
        {
            throw NeutronErrors.InvalidInput($"Cidr {cidrText} does not match ip_version {version}");
        }

        if (cidr.PrefixLength == 0)
        {
            throw NeutronErrors.InvalidInput("0 is not allowed as CIDR prefix length");
        }

        foreach (var other in await SubnetsOfAsync(c, t, networkId, cancellationToken))
        {
            if (IpSubnet.TryParse(other.Cidr, out var otherCidr) is null && otherCidr.Overlaps(cidr))
            {
                throw NeutronErrors.InvalidInput($"Requested subnet with cidr: {cidr} for network: {networkId} overlaps with another subnet");
            }
        }

        var raMode = NeutronInput.String(item, "ipv6_ra_mode", nullable: true);
        var addressMode = NeutronInput.String(item, "ipv6_address_mode", nullable: true);
        foreach (var (key, mode) in new[] { ("ipv6_ra_mode", raMode), ("ipv6_address_mode", addressMode) })
        {
            if (mode is not null && (version == 4 || !Ipv6Modes.Contains(mode)))
            {
                throw version == 4
                    ? NeutronErrors.InvalidInput($"{key} is not valid when ip_version is 4")
                    : NeutronErrors.InvalidAttribute(key, $"'{mode}' is not in {string.Join(", ", Ipv6Modes)}");
            }
        }

        var gateway = item.ContainsKey("gateway_ip") ? ParseGateway(item, cidr) : SubnetLayout.DefaultGateway(cidr);
        var layout = SubnetLayout.Create(cidr, gateway, item.ContainsKey("allocation_pools") ? PoolsOf(item) : null);
        var now = Now;
        var id = NewId();
        var subnet = new SubnetRecord
        {
            Id = id,
            NetworkId = networkId,
            ProjectId = project,
            Name = NeutronInput.String(item, "name") ?? "",
            Description = NeutronInput.String(item, "description") ?? "",
            IpVersion = cidr.Version,
            Cidr = cidr.ToString(),
            GatewayIp = layout.Gateway is { } g ? IpMath.ToText(g, cidr.Version) : null,
            EnableDhcp = NeutronInput.Bool(item, "enable_dhcp") ?? true,
            AllocationPools = Pools(layout),
            DnsNameservers = Nameservers(item, id),
            HostRoutes = HostRoutes(item, id, cidr.Version),
            Ipv6RaMode = raMode,
            Ipv6AddressMode = addressMode,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await NeutronTables.Subnets.InsertAsync(c, t, subnet, cancellationToken);
        return subnet;
    }

    private static UInt128? ParseGateway(JsonObject item, IpSubnet cidr)
    {
        var text = NeutronInput.String(item, "gateway_ip", 64, nullable: true);
        if (text is null)
        {
            return null;
        }

        if (!IpMath.TryParse(text, out var address, out var version))
        {
            throw NeutronErrors.InvalidAttribute("gateway_ip", $"'{text}' is not a valid IP address");
        }

        return version == cidr.Version ? IpMath.ToNumber(address) : throw NeutronErrors.InvalidInput($"Gateway {text} does not match ip_version {cidr.Version}");
    }

    private static List<(string Start, string End)> PoolsOf(JsonObject item) =>
        (NeutronInput.ObjectList(item, "allocation_pools") ?? []).Select(pool =>
        {
            NeutronInput.AllowOnly(pool, new HashSet<string>(StringComparer.Ordinal) { "start", "end" });
            var start = NeutronInput.String(pool, "start", 64);
            var end = NeutronInput.String(pool, "end", 64);
            return start is not null && end is not null
                ? (start, end)
                : throw NeutronErrors.InvalidAttribute("allocation_pools", $"Invalid data format for IP pool: '{pool.ToJsonString()}'");
        }).ToList();

    private static List<AllocationPoolRecord> Pools(SubnetLayout layout) =>
        layout.Pools.Select(p => new AllocationPoolRecord(IpMath.ToText(p.Start, layout.Cidr.Version), IpMath.ToText(p.End, layout.Cidr.Version))).ToList();

    private static List<string> Nameservers(JsonObject item, string subnetId)
    {
        var servers = new List<string>();
        foreach (var server in NeutronInput.StringList(item, "dns_nameservers") ?? [])
        {
            var normalized = IpMath.Normalize(server) ?? throw NeutronErrors.InvalidAttribute("dns_nameservers", $"'{server}' is not a valid nameserver");
            if (servers.Contains(normalized))
            {
                throw NeutronErrors.InvalidAttribute("dns_nameservers", $"Duplicate nameserver '{server}'");
            }

            servers.Add(normalized);
        }

        return servers.Count <= MaxDnsNameservers
            ? servers
            : throw NeutronErrors.BadRequest("DNSNameServersExhausted", $"Unable to complete operation for {subnetId}. The number of DNS nameservers exceeds the limit {MaxDnsNameservers}.");
    }

    private static List<HostRouteRecord> HostRoutes(JsonObject item, string subnetId, int version)
    {
        var routes = new List<HostRouteRecord>();
        foreach (var route in NeutronInput.ObjectList(item, "host_routes") ?? [])
        {
            NeutronInput.AllowOnly(route, new HashSet<string>(StringComparer.Ordinal) { "destination", "nexthop" });
            var destination = NeutronInput.String(route, "destination", 64);
            var nexthop = NeutronInput.String(route, "nexthop", 64);
            if (destination is null || nexthop is null || IpSubnet.TryParse(destination, out var d) is not null || !IpMath.TryParse(nexthop, out var hop, out var hopVersion)
                || d.Version != version || hopVersion != version)
            {
                throw NeutronErrors.InvalidAttribute("host_routes", $"Invalid data format for hostroute: '{route.ToJsonString()}'");
            }

            var record = new HostRouteRecord(d.ToString(), hop.ToString());
            if (routes.Contains(record))
            {
                throw NeutronErrors.InvalidAttribute("host_routes", $"Duplicate hostroute '{route.ToJsonString()}'");
            }

            routes.Add(record);
        }

        return routes.Count <= MaxHostRoutes
            ? routes
            : throw NeutronErrors.BadRequest("HostRoutesExhausted", $"Unable to complete operation for {subnetId}. The number of host routes exceeds the limit {MaxHostRoutes}.");
    }
}
