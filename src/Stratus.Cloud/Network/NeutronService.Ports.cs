using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Stratus.Cloud.Network.Api;
using Stratus.Cloud.Network.Ipam;
using Stratus.Cloud.Network.Model;
using Stratus.Cloud.Network.Storage;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Network;

/// <summary>Ports: a MAC (fa:16:3e:…), fixed IPs from the subnets' pools, the owning device, security groups, binding.</summary>
internal sealed partial class NeutronService
{
    private static readonly HashSet<string> PortCreateAttributes = new(StringComparer.Ordinal)
    {
        "network_id", "name", "description", "admin_state_up", "mac_address", "fixed_ips", "device_id", "device_owner", "security_groups",
        "port_security_enabled", "allowed_address_pairs", "binding:host_id", "binding:vnic_type", "binding:profile", "tenant_id", "project_id",
    };

    private static readonly HashSet<string> PortUpdateAttributes = new(StringComparer.Ordinal)
    {
        "name", "description", "admin_state_up", "mac_address", "fixed_ips", "device_id", "device_owner", "security_groups",
        "port_security_enabled", "allowed_address_pairs", "binding:host_id", "binding:vnic_type", "binding:profile",
    };

    private static readonly string[] VnicTypes = ["normal", "direct", "macvtap", "baremetal", "direct-physical", "virtio-forwarder", "smart-nic", "remote-managed"];

    /// <summary>Ports the caller may see; <paramref name="deviceId"/> and <paramref name="networkId"/> narrow the query in SQL.</summary>
    public Task<IReadOnlyList<JsonObject>> ListPortsAsync(RequestContext caller, string? deviceId, string? networkId, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<JsonObject>>(async c =>
        {
            var where = new List<string>();
            if (!caller.IsAdmin)
            {
                where.Add("project_id = @project");
            }

            if (deviceId is not null)
            {
                where.Add("device_id = @deviceId");
            }

            if (networkId is not null)
            {
                where.Add("network_id = @networkId");
            }

            var ports = await NeutronTables.Ports.WhereAsync(c, null, string.Join(" AND ", where), new { project = caller.ProjectId ?? "", deviceId, networkId }, cancellationToken);
            return ports.Select(p => NeutronViews.Port(p, caller.IsAdmin)).ToList();
        }, cancellationToken);

    public Task<JsonObject> GetPortAsync(RequestContext caller, string id, CancellationToken cancellationToken) =>
        ReadAsync(async c => NeutronViews.Port(await VisiblePortAsync(c, null, caller, id, cancellationToken), caller.IsAdmin), cancellationToken);

    public Task<IReadOnlyList<JsonObject>> CreatePortsAsync(RequestContext caller, IReadOnlyList<JsonObject> items, CancellationToken cancellationToken)
    {
        RequireWriter(caller, "create_port");
        return WriteAsync<IReadOnlyList<JsonObject>>(async (c, t) =>
        {
            var created = new List<JsonObject>();
            foreach (var item in items)
            {
                created.Add(NeutronViews.Port(await CreatePortFromApiAsync(c, t, caller, item, cancellationToken), caller.IsAdmin));
            }

            return created;
        }, cancellationToken);
    }

    public Task<JsonObject> UpdatePortAsync(RequestContext caller, string id, JsonObject item, CancellationToken cancellationToken)
    {
        NeutronInput.AllowOnly(item, PortUpdateAttributes);
        return WriteAsync(async (c, t) =>
        {
            var port = await VisiblePortAsync(c, t, caller, id, cancellationToken);
            if (!caller.CanWrite)
            {
                throw NeutronErrors.PolicyNotAuthorized("update_port");
            }

            var network = await NeutronTables.Networks.FindAsync(c, t, port.NetworkId, cancellationToken) ?? throw NeutronErrors.NetworkNotFound(port.NetworkId);
            foreach (var adminOnly in new[] { "binding:host_id", "binding:profile", "mac_address" })
            {
                if (item.ContainsKey(adminOnly) && !caller.IsAdmin)
                {
                    throw NeutronErrors.PolicyNotAuthorized($"update_port:{adminOnly}");
                }
            }

            var owner = NeutronInput.String(item, "device_owner") ?? port.DeviceOwner;
            if (owner != port.DeviceOwner && DeviceOwners.IsNetworkOwned(owner) && !Owns(caller, network.ProjectId))
            {
                throw NeutronErrors.PolicyNotAuthorized("update_port:device_owner");
            }

            var updated = port with
            {
                Name = NeutronInput.String(item, "name") ?? port.Name,
                Description = NeutronInput.String(item, "description") ?? port.Description,
                AdminStateUp = NeutronInput.Bool(item, "admin_state_up") ?? port.AdminStateUp,
                DeviceId = NeutronInput.String(item, "device_id") ?? port.DeviceId,
                DeviceOwner = owner,
                HostId = NeutronInput.String(item, "binding:host_id") ?? port.HostId,
                VnicType = VnicType(item) ?? port.VnicType,
                PortSecurityEnabled = NeutronInput.Bool(item, "port_security_enabled") ?? port.PortSecurityEnabled,
                AllowedAddressPairs = item.ContainsKey("allowed_address_pairs") ? AddressPairs(item) : port.AllowedAddressPairs,
                UpdatedAt = Now,
                RevisionNumber = port.RevisionNumber + 1,
            };
            if (NeutronInput.String(item, "mac_address") is { } macText)
            {
                var mac = NeutronInput.NormalizeMac(macText) ?? throw NeutronErrors.InvalidAttribute("mac_address", $"'{macText}' is not a valid MAC address");
                if (mac != port.MacAddress)
                {
                    if (port.HostId.Length > 0)
                    {
                        throw NeutronErrors.Conflict("PortBound", $"Unable to complete operation on port {id}, port is already bound, port type: ovs, old_mac {port.MacAddress}, new_mac {mac}.");
                    }

                    await RequireFreeMacAsync(c, t, port.NetworkId, mac, cancellationToken);
                    updated = updated with { MacAddress = mac };
                }
            }

            if (item.ContainsKey("fixed_ips"))
            {
                updated = updated with { FixedIps = await ReallocateFixedIpsAsync(c, t, network, port, RequestedFixedIps(item) ?? [], cancellationToken) };
            }

            if (item.ContainsKey("security_groups"))
            {
                updated = updated with { SecurityGroups = await CheckedSecurityGroupsAsync(c, t, caller, port.ProjectId, NeutronInput.StringList(item, "security_groups") ?? [], cancellationToken) };
            }

            if (!updated.PortSecurityEnabled && updated.SecurityGroups.Count > 0)
            {
                throw NeutronErrors.Conflict("PortSecurityPortHasSecurityGroup", "Port has security group associated. Cannot disable port security or ip address until security group is removed");
            }

            updated = updated with { Status = StatusFor(updated.DeviceOwner, updated.DeviceId, updated.HostId) };
            await NeutronTables.Ports.UpdateAsync(c, t, updated, cancellationToken);
            if (item.ContainsKey("security_groups"))
            {
                await WriteMembershipsAsync(c, t, updated, cancellationToken);
            }

            return NeutronViews.Port(updated, caller.IsAdmin);
        }, cancellationToken);
    }

    public Task DeletePortAsync(RequestContext caller, string id, CancellationToken cancellationToken) =>
        WriteAsync(async (c, t) =>
        {
            var port = await VisiblePortAsync(c, t, caller, id, cancellationToken);
            if (!caller.CanWrite)
            {
                throw NeutronErrors.PolicyNotAuthorized("delete_port");
            }

            if (DeviceOwners.IsService(port.DeviceOwner))
            {
                throw NeutronErrors.Conflict("ServicePortInUse", $"Port {id} cannot be deleted directly via the port API: has device owner {port.DeviceOwner}.");
            }

            await DeletePortRowsAsync(c, t, port, cancellationToken);
            return 0;
        }, cancellationToken);

    private static async Task<PortRecord> VisiblePortAsync(DbConnection c, DbTransaction? t, RequestContext caller, string id, CancellationToken cancellationToken)
    {
        var port = await NeutronTables.Ports.FindAsync(c, t, id, cancellationToken);
        return port is not null && Owns(caller, port.ProjectId) ? port : throw NeutronErrors.PortNotFound(id);
    }

    private async Task<PortRecord> CreatePortFromApiAsync(DbConnection c, DbTransaction t, RequestContext caller, JsonObject item, CancellationToken cancellationToken)
    {
        NeutronInput.AllowOnly(item, PortCreateAttributes);
        NeutronInput.Require(item, "network_id");
        var networkId = NeutronInput.Uuid(item, "network_id")!;
        var network = await VisibleNetworkAsync(c, t, networkId, caller.ProjectId, caller.IsAdmin, cancellationToken) ?? throw NeutronErrors.NetworkNotFound(networkId);
        var project = NeutronInput.ProjectFor(item, caller);
        var networkOwner = Owns(caller, network.ProjectId);
        if (!networkOwner && !network.Shared)
        {
            throw NeutronErrors.PolicyNotAuthorized("create_port");
        }

        var owner = NeutronInput.String(item, "device_owner") ?? "";
        if (DeviceOwners.IsNetworkOwned(owner) && !networkOwner)
        {
            throw NeutronErrors.PolicyNotAuthorized("create_port:device_owner");
        }

        foreach (var adminOnly in new[] { "binding:host_id", "binding:profile" })
        {
            if (item.ContainsKey(adminOnly) && !caller.IsAdmin)
            {
                throw NeutronErrors.PolicyNotAuthorized($"create_port:{adminOnly}");
            }
        }

        string? mac = null;
        if (NeutronInput.String(item, "mac_address") is { } macText)
        {
            if (!networkOwner)
            {
                throw NeutronErrors.PolicyNotAuthorized("create_port:mac_address");
            }

            mac = NeutronInput.NormalizeMac(macText) ?? throw NeutronErrors.InvalidAttribute("mac_address", $"'{macText}' is not a valid MAC address");
        }

        var spec = new PortSpec(network, project)
        {
            MacAddress = mac,
            FixedIps = RequestedFixedIps(item),
            DeviceId = NeutronInput.String(item, "device_id") ?? "",
            DeviceOwner = owner,
            SecurityGroups = NeutronInput.StringList(item, "security_groups"),
            PortSecurityEnabled = NeutronInput.Bool(item, "port_security_enabled"),
            Name = NeutronInput.String(item, "name") ?? "",
            Description = NeutronInput.String(item, "description") ?? "",
            AdminStateUp = NeutronInput.Bool(item, "admin_state_up") ?? true,
            AllowedAddressPairs = AddressPairs(item),
            HostId = NeutronInput.String(item, "binding:host_id") ?? "",
            VnicType = VnicType(item) ?? "normal",
        };
        if (spec.SecurityGroups is { } groups)
        {
            spec = spec with { SecurityGroups = await CheckedSecurityGroupsAsync(c, t, caller, project, groups, cancellationToken) };
        }

        return await CreatePortAsync(c, t, spec, cancellationToken);
    }

    /// <summary>Creates a port: MAC, addresses, security groups. The core every port-making path shares.</summary>
    internal async Task<PortRecord> CreatePortAsync(DbConnection c, DbTransaction t, PortSpec spec, CancellationToken cancellationToken)
    {
        if (spec.ProjectId.Length > 0)
        {
            await EnforceQuotaAsync(c, t, spec.ProjectId, "port", cancellationToken);
        }

        var id = NewId();
        string mac;
        if (spec.MacAddress is { } requested)
        {
            await RequireFreeMacAsync(c, t, spec.Network.Id, requested, cancellationToken);
            mac = requested;
        }
        else
        {
            // A clash among 2^24 random MACs is rare; the unique key catches any that slips through a race.
            do
            {
                mac = NewMac();
            }
            while (await MacTakenAsync(c, t, spec.Network.Id, mac, cancellationToken));
        }

        var portSecurity = spec.PortSecurityEnabled ?? spec.Network.PortSecurityEnabled;
        IReadOnlyList<string> groups;
        if (spec.SecurityGroups is { } explicitGroups)
        {
            groups = explicitGroups;
        }
        else if (portSecurity && !DeviceOwners.IsNetworkOwned(spec.DeviceOwner) && spec.ProjectId.Length > 0)
        {
            groups = [(await EnsureDefaultSecurityGroupAsync(c, t, spec.ProjectId, cancellationToken)).Id];
        }
        else
        {
            groups = [];
        }

        if (!portSecurity && groups.Count > 0)
        {
            throw NeutronErrors.BadRequest("PortSecurityAndIPRequiredForSecurityGroups", "Port security must be enabled and port must have an IP address in order to use security groups.");
        }

        var fixedIps = await AllocateFixedIpsAsync(c, t, spec.Network, id, spec.FixedIps, cancellationToken);
        var now = Now;
        var port = new PortRecord
        {
            Id = id,
            NetworkId = spec.Network.Id,
            ProjectId = spec.ProjectId,
            Name = spec.Name,
            Description = spec.Description,
            MacAddress = mac,
            FixedIps = fixedIps,
            DeviceId = spec.DeviceId,
            DeviceOwner = spec.DeviceOwner,
            AdminStateUp = spec.AdminStateUp,
            Status = StatusFor(spec.DeviceOwner, spec.DeviceId, spec.HostId),
            SecurityGroups = groups,
            PortSecurityEnabled = portSecurity,
            AllowedAddressPairs = spec.AllowedAddressPairs,
            HostId = spec.HostId,
            VnicType = spec.VnicType,
            PreserveOnDelete = spec.PreserveOnDelete,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await NeutronTables.Ports.InsertAsync(c, t, port, cancellationToken);
        await WriteMembershipsAsync(c, t, port, cancellationToken);
        LogPortCreated(logger, id, port.NetworkId, port.DeviceId, string.Join(", ", fixedIps.Select(f => f.IpAddress)));
        return port;
    }

    /// <summary>Removes a port with its addresses and memberships; floating IPs mapped to it become unassociated.</summary>
    internal async Task DeletePortRowsAsync(DbConnection c, DbTransaction t, PortRecord port, CancellationToken cancellationToken)
    {
        await DisassociateFloatingIpsAsync(c, t, port.Id, null, cancellationToken);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM net_ip_allocations WHERE port_id = @id", new { id = port.Id }, t, cancellationToken: cancellationToken));
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM net_port_security_groups WHERE port_id = @id", new { id = port.Id }, t, cancellationToken: cancellationToken));
        await NeutronTables.Ports.DeleteAsync(c, t, port.Id, cancellationToken);
    }

    private static async Task<List<FixedIpRecord>> AllocateFixedIpsAsync(DbConnection c, DbTransaction t, NetworkRecord network, string portId, IReadOnlyList<RequestedFixedIp>? requested, CancellationToken cancellationToken)
    {
        var subnets = await SubnetsOfAsync(c, t, network.Id, cancellationToken);
        var result = new List<FixedIpRecord>();
        if (requested is null)
        {
            // Neutron's default: one address from the first IPv4 subnet with room, and one from an IPv6 subnet.
            foreach (var version in new[] { 4, 6 })
            {
                var candidates = subnets.Where(s => s.IpVersion == version).ToList();
                if (candidates.Count == 0)
                {
                    continue;
                }

                string? address = null;
                foreach (var subnet in candidates)
                {
                    address = await AllocateNextAsync(c, t, subnet, portId, cancellationToken);
                    if (address is not null)
                    {
                        result.Add(new FixedIpRecord(subnet.Id, address));
                        break;
                    }
                }

                if (address is null)
                {
                    throw NeutronErrors.Conflict("IpAddressGenerationFailure", $"No more IP addresses available on network {network.Id}.");
                }
            }

            return result;
        }

        foreach (var entry in requested)
        {
            result.Add(await AllocateRequestedAsync(c, t, network, subnets, portId, entry, cancellationToken));
        }

        return result;
    }

    private static async Task<FixedIpRecord> AllocateRequestedAsync(DbConnection c, DbTransaction t, NetworkRecord network, List<SubnetRecord> subnets, string portId, RequestedFixedIp entry, CancellationToken cancellationToken)
    {
        SubnetRecord subnet;
        if (entry.SubnetId is not null)
        {
            subnet = subnets.FirstOrDefault(s => s.Id == entry.SubnetId)
                ?? throw NeutronErrors.InvalidInput($"Failed to create port on network {network.Id}, because fixed_ips included invalid subnet {entry.SubnetId}");
        }
        else
        {
            var address = IpMath.TryParse(entry.IpAddress, out var parsed, out var version) ? IpMath.ToNumber(parsed) : (UInt128?)null;
            subnet = subnets.FirstOrDefault(s => address is { } a && IpSubnet.TryParse(s.Cidr, out var cidr) is null && cidr.Version == version && cidr.Contains(a))
                ?? throw NeutronErrors.BadRequest("InvalidIpForNetwork", $"IP address {entry.IpAddress} is not a valid IP for any of the subnets on the specified network.");
        }

        if (entry.IpAddress is not null)
        {
            return new FixedIpRecord(subnet.Id, await AllocateSpecificAsync(c, t, subnet, entry.IpAddress, portId, cancellationToken));
        }

        return new FixedIpRecord(subnet.Id, await AllocateNextAsync(c, t, subnet, portId, cancellationToken)
            ?? throw NeutronErrors.Conflict("IpAddressGenerationFailure", $"No more IP addresses available on network {network.Id}."));
    }

    /// <summary>
    /// A fixed_ips update: entries naming an address the port already has (or only a subnet it already has an
    /// address on) keep it; the rest are allocated; addresses no longer wanted are released, with their floating IPs.
    /// </summary>
    private async Task<List<FixedIpRecord>> ReallocateFixedIpsAsync(DbConnection c, DbTransaction t, NetworkRecord network, PortRecord port, IReadOnlyList<RequestedFixedIp> requested, CancellationToken cancellationToken)
    {
        var subnets = await SubnetsOfAsync(c, t, network.Id, cancellationToken);
        var remaining = port.FixedIps.ToList();
        var kept = new List<FixedIpRecord>();
        var toAllocate = new List<RequestedFixedIp>();
        foreach (var entry in requested)
        {
            var normalized = entry.IpAddress is null ? null : IpMath.Normalize(entry.IpAddress) ?? entry.IpAddress;
            var match = remaining.FirstOrDefault(f => (normalized is null || f.IpAddress == normalized) && (entry.SubnetId is null || f.SubnetId == entry.SubnetId));
            if (match is not null)
            {
                remaining.Remove(match);
                kept.Add(match);
            }
            else
            {
                toAllocate.Add(entry);
            }
        }

        foreach (var released in remaining)
        {
            await DisassociateFloatingIpsAsync(c, t, port.Id, released.IpAddress, cancellationToken);
            await c.ExecuteAsync(new CommandDefinition(
                "DELETE FROM net_ip_allocations WHERE subnet_id = @subnetId AND ip_address = @address",
                new { subnetId = released.SubnetId, address = released.IpAddress }, t, cancellationToken: cancellationToken));
        }

        foreach (var entry in toAllocate)
        {
            kept.Add(await AllocateRequestedAsync(c, t, network, subnets, port.Id, entry, cancellationToken));
        }

        return kept;
    }

    private static async Task RequireFreeMacAsync(DbConnection c, DbTransaction t, string networkId, string mac, CancellationToken cancellationToken)
    {
        if (await MacTakenAsync(c, t, networkId, mac, cancellationToken))
        {
            throw NeutronErrors.Conflict("MacAddressInUse", $"Unable to complete operation for network {networkId}. The mac address {mac} is in use.");
        }
    }

    private static async Task<bool> MacTakenAsync(DbConnection c, DbTransaction t, string networkId, string mac, CancellationToken cancellationToken) =>
        await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM net_ports WHERE network_id = @networkId AND mac_address = @mac", new { networkId, mac }, t, cancellationToken: cancellationToken)) > 0;

    private static async Task WriteMembershipsAsync(DbConnection c, DbTransaction t, PortRecord port, CancellationToken cancellationToken)
    {
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM net_port_security_groups WHERE port_id = @id", new { id = port.Id }, t, cancellationToken: cancellationToken));
        foreach (var group in port.SecurityGroups.Distinct(StringComparer.Ordinal))
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO net_port_security_groups (port_id, security_group_id) VALUES (@port, @group)", new { port = port.Id, group }, t, cancellationToken: cancellationToken));
        }
    }

    /// <summary>Neutron's port status as its agents would leave it: router ports active, others active once bound to a host.</summary>
    private static string StatusFor(string owner, string deviceId, string hostId) =>
        owner is DeviceOwners.RouterInterface or DeviceOwners.RouterGateway ? "ACTIVE"
        : owner == DeviceOwners.FloatingIp ? "N/A"
        : hostId.Length > 0 && deviceId.Length > 0 ? "ACTIVE"
        : "DOWN";

    private static IReadOnlyList<RequestedFixedIp>? RequestedFixedIps(JsonObject item)
    {
        if (NeutronInput.ObjectList(item, "fixed_ips") is not { } entries)
        {
            return null;
        }

        return entries.Select(entry =>
        {
            foreach (var key in entry.Select(p => p.Key))
            {
                if (key is not ("subnet_id" or "ip_address"))
                {
                    throw NeutronErrors.InvalidAttribute("fixed_ips", $"Unrecognized attribute(s) '{key}'");
                }
            }

            var subnetId = NeutronInput.String(entry, "subnet_id", 64);
            var address = NeutronInput.String(entry, "ip_address", 64);
            if (subnetId is null && address is null)
            {
                throw NeutronErrors.InvalidAttribute("fixed_ips", $"Invalid data format for fixed IP: '{entry.ToJsonString()}'");
            }

            if (address is not null && IpMath.Normalize(address) is null)
            {
                throw NeutronErrors.InvalidAttribute("fixed_ips", $"'{address}' is not a valid IP address");
            }

            return new RequestedFixedIp(subnetId, address);
        }).ToList();
    }

    private static List<AddressPairRecord> AddressPairs(JsonObject item) =>
        (NeutronInput.ObjectList(item, "allowed_address_pairs") ?? []).Select(pair =>
        {
            var address = NeutronInput.String(pair, "ip_address", 64) ?? throw NeutronErrors.BadRequest("AllowedAddressPairsMissingIP", "AllowedAddressPair must contain ip_address");
            if (IpMath.Normalize(address) is null && !IpSubnet.TryParseLoose(address, out _))
            {
                throw NeutronErrors.InvalidAttribute("allowed_address_pairs", $"'{address}' is not a valid IP address");
            }

            var mac = NeutronInput.String(pair, "mac_address", 64);
            return new AddressPairRecord(address, mac is null ? "" : NeutronInput.NormalizeMac(mac) ?? throw NeutronErrors.InvalidAttribute("allowed_address_pairs", $"'{mac}' is not a valid MAC address"));
        }).ToList();

    private static string? VnicType(JsonObject item)
    {
        var type = NeutronInput.String(item, "binding:vnic_type");
        return type is null || VnicTypes.Contains(type) ? type : throw NeutronErrors.InvalidAttribute("binding:vnic_type", $"'{type}' is not in {string.Join(", ", VnicTypes)}");
    }
}
