using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Network;

/// <summary>
/// Neutron's tables. Each resource is a JSON document with the columns lookups need. IP allocations and
/// security-group memberships are rows of their own: the primary key on (subnet, address) is what keeps two
/// concurrent allocations from handing out one address, and the unique (network, MAC) does the same for MACs.
/// </summary>
internal sealed class NetworkSchema : ISchema
{
    public string Area => "network";

    public IReadOnlyList<string> Migrations =>
    [
        """
        CREATE TABLE net_networks (
            id TEXT PRIMARY KEY,
            project_id TEXT NOT NULL,
            name TEXT NOT NULL,
            shared INTEGER NOT NULL,
            external INTEGER NOT NULL,
            data TEXT NOT NULL);
        CREATE INDEX net_networks_by_project ON net_networks (project_id);
        CREATE TABLE net_segments (
            network_type TEXT NOT NULL,
            physical_network TEXT NOT NULL,
            segmentation_id BIGINT NOT NULL,
            network_id TEXT NOT NULL,
            PRIMARY KEY (network_type, physical_network, segmentation_id));
        CREATE INDEX net_segments_by_network ON net_segments (network_id);
        CREATE TABLE net_subnets (
            id TEXT PRIMARY KEY,
            network_id TEXT NOT NULL,
            project_id TEXT NOT NULL,
            name TEXT NOT NULL,
            data TEXT NOT NULL);
        CREATE INDEX net_subnets_by_network ON net_subnets (network_id);
        CREATE TABLE net_ports (
            id TEXT PRIMARY KEY,
            network_id TEXT NOT NULL,
            project_id TEXT NOT NULL,
            device_id TEXT NOT NULL,
            device_owner TEXT NOT NULL,
            mac_address TEXT NOT NULL,
            name TEXT NOT NULL,
            data TEXT NOT NULL,
            UNIQUE (network_id, mac_address));
        CREATE INDEX net_ports_by_device ON net_ports (device_id);
        CREATE INDEX net_ports_by_network ON net_ports (network_id);
        CREATE INDEX net_ports_by_project ON net_ports (project_id);
        CREATE TABLE net_ip_allocations (
            subnet_id TEXT NOT NULL,
            ip_address TEXT NOT NULL,
            network_id TEXT NOT NULL,
            port_id TEXT NOT NULL,
            PRIMARY KEY (subnet_id, ip_address));
        CREATE INDEX net_ip_allocations_by_port ON net_ip_allocations (port_id);
        CREATE TABLE net_port_security_groups (
            port_id TEXT NOT NULL,
            security_group_id TEXT NOT NULL,
            PRIMARY KEY (port_id, security_group_id));
        CREATE INDEX net_port_security_groups_by_group ON net_port_security_groups (security_group_id);
        CREATE TABLE net_security_groups (
            id TEXT PRIMARY KEY,
            project_id TEXT NOT NULL,
            name TEXT NOT NULL,
            data TEXT NOT NULL);
        CREATE INDEX net_security_groups_by_project ON net_security_groups (project_id);
        CREATE TABLE net_default_security_groups (
            project_id TEXT PRIMARY KEY,
            security_group_id TEXT NOT NULL);
        CREATE TABLE net_security_group_rules (
            id TEXT PRIMARY KEY,
            security_group_id TEXT NOT NULL,
            project_id TEXT NOT NULL,
            remote_group_id TEXT,
            signature TEXT NOT NULL,
            data TEXT NOT NULL,
            UNIQUE (security_group_id, signature));
        CREATE INDEX net_security_group_rules_by_project ON net_security_group_rules (project_id);
        CREATE INDEX net_security_group_rules_by_remote ON net_security_group_rules (remote_group_id);
        CREATE TABLE net_floating_ips (
            id TEXT PRIMARY KEY,
            project_id TEXT NOT NULL,
            floating_network_id TEXT NOT NULL,
            floating_ip_address TEXT NOT NULL,
            port_id TEXT,
            fixed_ip_address TEXT,
            router_id TEXT,
            data TEXT NOT NULL,
            UNIQUE (floating_network_id, floating_ip_address),
            UNIQUE (floating_network_id, port_id, fixed_ip_address));
        CREATE INDEX net_floating_ips_by_project ON net_floating_ips (project_id);
        CREATE INDEX net_floating_ips_by_port ON net_floating_ips (port_id);
        CREATE TABLE net_routers (
            id TEXT PRIMARY KEY,
            project_id TEXT NOT NULL,
            name TEXT NOT NULL,
            gateway_network_id TEXT,
            data TEXT NOT NULL);
        CREATE INDEX net_routers_by_project ON net_routers (project_id);
        CREATE TABLE net_quotas (
            project_id TEXT NOT NULL,
            resource TEXT NOT NULL,
            hard_limit BIGINT NOT NULL,
            PRIMARY KEY (project_id, resource));
        """,
    ];
}
