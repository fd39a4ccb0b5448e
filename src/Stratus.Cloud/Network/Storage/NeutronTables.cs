using Stratus.Cloud.Network.Model;

namespace Stratus.Cloud.Network.Storage;

/// <summary>The document tables of <see cref="NetworkSchema"/> and the columns each indexes.</summary>
internal static class NeutronTables
{
    public static readonly DocumentTable<NetworkRecord> Networks = new("net_networks", NeutronJson.Default.NetworkRecord, n => n.Id, n =>
        [("project_id", n?.ProjectId), ("name", n?.Name), ("shared", n is { Shared: true } ? 1 : 0), ("external", n is { External: true } ? 1 : 0)]);

    public static readonly DocumentTable<SubnetRecord> Subnets = new("net_subnets", NeutronJson.Default.SubnetRecord, s => s.Id, s =>
        [("network_id", s?.NetworkId), ("project_id", s?.ProjectId), ("name", s?.Name)]);

    public static readonly DocumentTable<PortRecord> Ports = new("net_ports", NeutronJson.Default.PortRecord, p => p.Id, p =>
        [("network_id", p?.NetworkId), ("project_id", p?.ProjectId), ("device_id", p?.DeviceId), ("device_owner", p?.DeviceOwner), ("mac_address", p?.MacAddress), ("name", p?.Name)]);

    public static readonly DocumentTable<FloatingIpRecord> FloatingIps = new("net_floating_ips", NeutronJson.Default.FloatingIpRecord, f => f.Id, f =>
        [("project_id", f?.ProjectId), ("floating_network_id", f?.FloatingNetworkId), ("floating_ip_address", f?.FloatingIpAddress), ("port_id", f?.PortId), ("fixed_ip_address", f?.FixedIpAddress), ("router_id", f?.RouterId)]);

    public static readonly DocumentTable<SecurityGroupRecord> SecurityGroups = new("net_security_groups", NeutronJson.Default.SecurityGroupRecord, g => g.Id, g =>
        [("project_id", g?.ProjectId), ("name", g?.Name)]);

    public static readonly DocumentTable<SecurityGroupRuleRecord> SecurityGroupRules = new("net_security_group_rules", NeutronJson.Default.SecurityGroupRuleRecord, r => r.Id, r =>
        [("security_group_id", r?.SecurityGroupId), ("project_id", r?.ProjectId), ("remote_group_id", r?.RemoteGroupId), ("signature", r?.Signature)]);

    public static readonly DocumentTable<RouterRecord> Routers = new("net_routers", NeutronJson.Default.RouterRecord, r => r.Id, r =>
        [("project_id", r?.ProjectId), ("name", r?.Name), ("gateway_network_id", r?.Gateway?.NetworkId)]);
}
