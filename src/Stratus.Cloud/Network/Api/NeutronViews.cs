using System.Text.Json.Nodes;
using Stratus.Cloud.Network.Model;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Network.Api;

/// <summary>
/// The resource bodies neutron returns (contract §6, neutron-lib api definitions): every resource carries both
/// <c>tenant_id</c> and <c>project_id</c>, <c>description</c>, <c>tags</c>, timestamps and <c>revision_number</c>.
/// Attributes neutron's policy shows only to admins (provider:*, binding:host_id and the other binding details)
/// are left out for everyone else.
/// </summary>
internal static class NeutronViews
{
    public static readonly IReadOnlySet<string> NetworkAttributes = Keys(Network(Sample.Network, [], admin: true));
    public static readonly IReadOnlySet<string> SubnetAttributes = Keys(Subnet(Sample.Subnet));
    public static readonly IReadOnlySet<string> PortAttributes = Keys(Port(Sample.Port, admin: true));
    public static readonly IReadOnlySet<string> FloatingIpAttributes = Keys(FloatingIp(Sample.FloatingIp, null));
    public static readonly IReadOnlySet<string> SecurityGroupAttributes = Keys(SecurityGroup(Sample.SecurityGroup, []));
    public static readonly IReadOnlySet<string> SecurityGroupRuleAttributes = Keys(Rule(Sample.Rule));
    public static readonly IReadOnlySet<string> RouterAttributes = Keys(Router(Sample.Router, null));

    public static JsonObject Network(NetworkRecord network, IReadOnlyList<string> subnetIds, bool admin)
    {
        var body = new JsonObject
        {
            ["id"] = network.Id,
            ["name"] = network.Name,
            ["tenant_id"] = network.ProjectId,
            ["admin_state_up"] = network.AdminStateUp,
            ["mtu"] = network.Mtu,
            ["status"] = network.Status,
            ["subnets"] = Strings(subnetIds),
            ["shared"] = network.Shared,
            ["availability_zone_hints"] = Strings(network.AvailabilityZoneHints),
            ["availability_zones"] = Strings(["nova"]),
            ["ipv4_address_scope"] = null,
            ["ipv6_address_scope"] = null,
            ["router:external"] = network.External,
            ["description"] = network.Description,
            ["port_security_enabled"] = network.PortSecurityEnabled,
            ["is_default"] = network.IsDefault,
        };
        Common(body, network.ProjectId, network.Tags, network.CreatedAt, network.UpdatedAt, network.RevisionNumber);
        if (admin)
        {
            body["provider:network_type"] = network.NetworkType;
            body["provider:physical_network"] = network.PhysicalNetwork;
            body["provider:segmentation_id"] = network.SegmentationId;
        }

        return body;
    }

    public static JsonObject Subnet(SubnetRecord subnet)
    {
        var body = new JsonObject
        {
            ["id"] = subnet.Id,
            ["name"] = subnet.Name,
            ["tenant_id"] = subnet.ProjectId,
            ["network_id"] = subnet.NetworkId,
            ["ip_version"] = subnet.IpVersion,
            ["subnetpool_id"] = null,
            ["enable_dhcp"] = subnet.EnableDhcp,
            ["ipv6_ra_mode"] = subnet.Ipv6RaMode,
            ["ipv6_address_mode"] = subnet.Ipv6AddressMode,
            ["gateway_ip"] = subnet.GatewayIp,
            ["cidr"] = subnet.Cidr,
            ["allocation_pools"] = new JsonArray(subnet.AllocationPools.Select(p => (JsonNode?)new JsonObject { ["start"] = p.Start, ["end"] = p.End }).ToArray()),
            ["host_routes"] = new JsonArray(subnet.HostRoutes.Select(r => (JsonNode?)new JsonObject { ["destination"] = r.Destination, ["nexthop"] = r.Nexthop }).ToArray()),
            ["dns_nameservers"] = Strings(subnet.DnsNameservers),
            ["description"] = subnet.Description,
            ["service_types"] = new JsonArray(),
        };
        Common(body, subnet.ProjectId, subnet.Tags, subnet.CreatedAt, subnet.UpdatedAt, subnet.RevisionNumber);
        return body;
    }

    public static JsonObject Port(PortRecord port, bool admin)
    {
        var body = new JsonObject
        {
            ["id"] = port.Id,
            ["name"] = port.Name,
            ["network_id"] = port.NetworkId,
            ["tenant_id"] = port.ProjectId,
            ["mac_address"] = port.MacAddress,
            ["admin_state_up"] = port.AdminStateUp,
            ["status"] = port.Status,
            ["device_id"] = port.DeviceId,
            ["device_owner"] = port.DeviceOwner,
            ["fixed_ips"] = new JsonArray(port.FixedIps.Select(f => (JsonNode?)new JsonObject { ["subnet_id"] = f.SubnetId, ["ip_address"] = f.IpAddress }).ToArray()),
            ["allowed_address_pairs"] = new JsonArray(port.AllowedAddressPairs.Select(p => (JsonNode?)new JsonObject
            {
                ["ip_address"] = p.IpAddress,
                ["mac_address"] = p.MacAddress.Length > 0 ? p.MacAddress : port.MacAddress,
            }).ToArray()),
            ["security_groups"] = Strings(port.SecurityGroups),
            ["description"] = port.Description,
            ["port_security_enabled"] = port.PortSecurityEnabled,
            ["binding:vnic_type"] = port.VnicType,
        };
        Common(body, port.ProjectId, port.Tags, port.CreatedAt, port.UpdatedAt, port.RevisionNumber);
        if (admin)
        {
            var bound = port.HostId.Length > 0;
            body["binding:host_id"] = port.HostId;
            body["binding:profile"] = new JsonObject();
            body["binding:vif_type"] = bound ? "ovs" : "unbound";
            body["binding:vif_details"] = bound ? new JsonObject { ["port_filter"] = true, ["bridge_name"] = "br-int" } : new JsonObject();
        }

        return body;
    }

    public static JsonObject FloatingIp(FloatingIpRecord floatingIp, PortRecord? port)
    {
        var body = new JsonObject
        {
            ["id"] = floatingIp.Id,
            ["tenant_id"] = floatingIp.ProjectId,
            ["floating_ip_address"] = floatingIp.FloatingIpAddress,
            ["floating_network_id"] = floatingIp.FloatingNetworkId,
            ["router_id"] = floatingIp.RouterId,
            ["port_id"] = floatingIp.PortId,
            ["fixed_ip_address"] = floatingIp.FixedIpAddress,
            ["status"] = floatingIp.Status,
            ["description"] = floatingIp.Description,
            ["port_details"] = port is null ? null : new JsonObject
            {
                ["name"] = port.Name,
                ["network_id"] = port.NetworkId,
                ["mac_address"] = port.MacAddress,
                ["admin_state_up"] = port.AdminStateUp,
                ["status"] = port.Status,
                ["device_id"] = port.DeviceId,
                ["device_owner"] = port.DeviceOwner,
            },
            ["dns_domain"] = "",
            ["dns_name"] = "",
            ["qos_policy_id"] = null,
            ["port_forwardings"] = new JsonArray(),
        };
        Common(body, floatingIp.ProjectId, floatingIp.Tags, floatingIp.CreatedAt, floatingIp.UpdatedAt, floatingIp.RevisionNumber);
        return body;
    }

    public static JsonObject SecurityGroup(SecurityGroupRecord group, IEnumerable<SecurityGroupRuleRecord> rules)
    {
        var body = new JsonObject
        {
            ["id"] = group.Id,
            ["name"] = group.Name,
            ["tenant_id"] = group.ProjectId,
            ["description"] = group.Description,
            ["stateful"] = group.Stateful,
            ["security_group_rules"] = new JsonArray(rules.Select(r => (JsonNode?)Rule(r)).ToArray()),
        };
        Common(body, group.ProjectId, group.Tags, group.CreatedAt, group.UpdatedAt, group.RevisionNumber);
        return body;
    }

    public static JsonObject Rule(SecurityGroupRuleRecord rule)
    {
        var body = new JsonObject
        {
            ["id"] = rule.Id,
            ["tenant_id"] = rule.ProjectId,
            ["security_group_id"] = rule.SecurityGroupId,
            ["ethertype"] = rule.Ethertype,
            ["direction"] = rule.Direction,
            ["protocol"] = rule.Protocol,
            ["port_range_min"] = rule.PortRangeMin,
            ["port_range_max"] = rule.PortRangeMax,
            ["remote_ip_prefix"] = rule.RemoteIpPrefix,
            ["remote_address_group_id"] = null,
            ["remote_group_id"] = rule.RemoteGroupId,
            ["description"] = rule.Description,
        };
        Common(body, rule.ProjectId, null, rule.CreatedAt, rule.UpdatedAt, rule.RevisionNumber);
        return body;
    }

    public static JsonObject Router(RouterRecord router, PortRecord? gatewayPort)
    {
        var body = new JsonObject
        {
            ["id"] = router.Id,
            ["name"] = router.Name,
            ["tenant_id"] = router.ProjectId,
            ["admin_state_up"] = router.AdminStateUp,
            ["status"] = router.Status,
            ["external_gateway_info"] = router.Gateway is { } gateway
                ? new JsonObject
                {
                    ["network_id"] = gateway.NetworkId,
                    ["enable_snat"] = gateway.EnableSnat,
                    ["external_fixed_ips"] = new JsonArray((gatewayPort?.FixedIps ?? []).Select(f => (JsonNode?)new JsonObject { ["subnet_id"] = f.SubnetId, ["ip_address"] = f.IpAddress }).ToArray()),
                }
                : null,
            ["description"] = router.Description,
            ["availability_zone_hints"] = new JsonArray(),
            ["availability_zones"] = Strings(["nova"]),
            ["routes"] = new JsonArray(),
        };
        Common(body, router.ProjectId, router.Tags, router.CreatedAt, router.UpdatedAt, router.RevisionNumber);
        return body;
    }

    private static void Common(JsonObject body, string projectId, IReadOnlyList<string>? tags, DateTime createdAt, DateTime updatedAt, long revision)
    {
        if (tags is not null)
        {
            body["tags"] = Strings(tags);
        }

        body["created_at"] = OpenStackJson.Iso(createdAt);
        body["updated_at"] = OpenStackJson.Iso(updatedAt);
        body["revision_number"] = revision;
        body["project_id"] = projectId;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());

    private static HashSet<string> Keys(JsonObject body) => new(body.Select(p => p.Key), StringComparer.Ordinal);

    /// <summary>Records used only to learn each resource's attribute names (for filter validation).</summary>
    private static class Sample
    {
        public static readonly NetworkRecord Network = new() { Id = "", ProjectId = "" };
        public static readonly SubnetRecord Subnet = new() { Id = "", NetworkId = "", ProjectId = "", Cidr = "" };
        public static readonly PortRecord Port = new() { Id = "", NetworkId = "", ProjectId = "", MacAddress = "" };
        public static readonly FloatingIpRecord FloatingIp = new() { Id = "", ProjectId = "", FloatingNetworkId = "", FloatingIpAddress = "", FloatingSubnetId = "", FloatingPortId = "" };
        public static readonly SecurityGroupRecord SecurityGroup = new() { Id = "", ProjectId = "", Name = "" };
        public static readonly SecurityGroupRuleRecord Rule = new() { Id = "", SecurityGroupId = "", ProjectId = "", Direction = "", Ethertype = "" };
        public static readonly RouterRecord Router = new() { Id = "", ProjectId = "" };
    }
}
