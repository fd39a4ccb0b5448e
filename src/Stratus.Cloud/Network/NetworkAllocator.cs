using System.Data.Common;
using Dapper;
using Stratus.Cloud.Network.Ipam;
using Stratus.Cloud.Network.Model;
using Stratus.Cloud.Network.Storage;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Network;

/// <summary>
/// Neutron as nova's network API sees it (<see cref="INetworkAllocator"/>): validate a boot's networks, create or
/// bind the server's ports (device_id = server, device_owner compute:nova, the project's security groups) in one
/// transaction, bind them to the host, release them, and describe addresses for thousands of servers at once.
/// Refusals are <see cref="ApiException"/>s in nova's terms (<see cref="NetworkAllocationErrors"/>).
/// </summary>
internal sealed class NetworkAllocator(NeutronService neutron, TimeProvider time) : INetworkAllocator
{
    public Task ValidateAsync(string projectId, NetworkRequest request, CancellationToken cancellationToken) =>
        neutron.ReadAsync(async c =>
        {
            await ResolveAsync(c, null, projectId, request, cancellationToken);
            return 0;
        }, cancellationToken);

    public Task<IReadOnlyList<PortAllocation>> AllocateAsync(string projectId, Guid instanceId, NetworkRequest request, IReadOnlyList<string> securityGroups, CancellationToken cancellationToken) =>
        neutron.WriteAsync<IReadOnlyList<PortAllocation>>(async (c, t) =>
        {
            var device = instanceId.ToString("D");
            var existing = await PortsOfAsync(c, t, [device], cancellationToken);
            if (existing.Count > 0)
            {
                // A retried build (another host) keeps the ports it already has.
                return await DescribePortsAsync(c, t, existing, cancellationToken);
            }

            var targets = await ResolveAsync(c, t, projectId, request, cancellationToken);
            var groups = targets.Count == 0 ? [] : await ResolveGroupsAsync(c, t, projectId, securityGroups, cancellationToken);
            var now = time.GetUtcNow().UtcDateTime;
            var ports = new List<PortRecord>();
            foreach (var target in targets)
            {
                if (target.Port is { } port)
                {
                    var bound = port with { DeviceId = device, DeviceOwner = DeviceOwners.Compute, PreserveOnDelete = true, UpdatedAt = now, RevisionNumber = port.RevisionNumber + 1 };
                    await NeutronTables.Ports.UpdateAsync(c, t, bound, cancellationToken);
                    ports.Add(bound);
                    continue;
                }

                try
                {
                    ports.Add(await neutron.CreatePortAsync(c, t, new PortSpec(target.Network, projectId)
                    {
                        FixedIps = target.FixedIp is null ? null : [new RequestedFixedIp(null, target.FixedIp)],
                        DeviceId = device,
                        DeviceOwner = DeviceOwners.Compute,
                        SecurityGroups = target.Network.PortSecurityEnabled ? groups : [],
                    }, cancellationToken));
                }
                catch (ApiException e) when (e.Kind is "IpAddressGenerationFailure")
                {
                    throw NetworkAllocationErrors.NoMoreFixedIps(target.Network.Id);
                }
                catch (ApiException e) when (e.Kind is "IpAddressInUse")
                {
                    throw NetworkAllocationErrors.FixedIpAlreadyInUse(target.FixedIp ?? "", "another device");
                }
                catch (ApiException e) when (e.Kind is "OverQuota")
                {
                    throw NetworkAllocationErrors.PortLimitExceeded();
                }
            }

            return await DescribePortsAsync(c, t, ports, cancellationToken);
        }, cancellationToken);

    public Task BindAsync(Guid instanceId, string host, CancellationToken cancellationToken) =>
        neutron.WriteAsync(async (c, t) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var port in await PortsOfAsync(c, t, [instanceId.ToString("D")], cancellationToken))
            {
                await NeutronTables.Ports.UpdateAsync(c, t, port with
                {
                    HostId = host,
                    Status = "ACTIVE",
                    UpdatedAt = now,
                    RevisionNumber = port.RevisionNumber + 1,
                }, cancellationToken);
            }

            return 0;
        }, cancellationToken);

    public Task DeallocateAsync(Guid instanceId, CancellationToken cancellationToken) =>
        neutron.WriteAsync(async (c, t) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var port in await PortsOfAsync(c, t, [instanceId.ToString("D")], cancellationToken))
            {
                if (port.PreserveOnDelete)
                {
                    // A port the user brought is handed back unbound, as nova does (floating IPs stay with it).
                    await NeutronTables.Ports.UpdateAsync(c, t, port with
                    {
                        DeviceId = "",
                        DeviceOwner = "",
                        HostId = "",
                        Status = "DOWN",
                        PreserveOnDelete = false,
                        UpdatedAt = now,
                        RevisionNumber = port.RevisionNumber + 1,
                    }, cancellationToken);
                }
                else
                {
                    await neutron.DeletePortRowsAsync(c, t, port, cancellationToken);
                }
            }

            return 0;
        }, cancellationToken);

    public Task<IReadOnlyDictionary<Guid, InstanceNetworkView>> DescribeAsync(IReadOnlyCollection<Guid> instanceIds, CancellationToken cancellationToken) =>
        neutron.ReadAsync<IReadOnlyDictionary<Guid, InstanceNetworkView>>(async c =>
        {
            var result = new Dictionary<Guid, InstanceNetworkView>();
            if (instanceIds.Count == 0)
            {
                return result;
            }

            var ports = await PortsOfAsync(c, null, instanceIds.Select(i => i.ToString("D")), cancellationToken);
            var networks = (await NeutronTables.Networks.InAsync(c, null, "id", ports.Select(p => p.NetworkId), cancellationToken)).ToDictionary(n => n.Id, StringComparer.Ordinal);
            var floating = (await NeutronTables.FloatingIps.InAsync(c, null, "port_id", ports.Select(p => p.Id), cancellationToken))
                .OrderBy(f => f.CreatedAt).ThenBy(f => f.Id, StringComparer.Ordinal)
                .ToLookup(f => f.PortId!, StringComparer.Ordinal);
            var groupNames = await GroupNamesAsync(c, ports.SelectMany(p => p.SecurityGroups), cancellationToken);
            foreach (var byDevice in ports.GroupBy(p => p.DeviceId, StringComparer.Ordinal))
            {
                // Nova's view: per network (in port order), its fixed addresses, then its floating ones.
                var fixedByNetwork = new Dictionary<string, List<ServerAddress>>(StringComparer.Ordinal);
                var floatingByNetwork = new Dictionary<string, List<ServerAddress>>(StringComparer.Ordinal);
                var order = new List<string>();
                var groups = new List<string>();
                foreach (var port in byDevice)
                {
                    var name = networks.TryGetValue(port.NetworkId, out var network) ? network.Name : port.NetworkId;
                    if (!fixedByNetwork.TryGetValue(name, out var fixedList))
                    {
                        order.Add(name);
                        fixedByNetwork[name] = fixedList = [];
                        floatingByNetwork[name] = [];
                    }

                    var mac = port.MacAddress.ToLowerInvariant();
                    foreach (var fixedIp in port.FixedIps)
                    {
                        fixedList.Add(new ServerAddress(name, fixedIp.IpAddress, VersionOf(fixedIp.IpAddress), "fixed", mac));
                    }

                    foreach (var floatingIp in floating[port.Id])
                    {
                        floatingByNetwork[name].Add(new ServerAddress(name, floatingIp.FloatingIpAddress, VersionOf(floatingIp.FloatingIpAddress), "floating", mac));
                    }

                    groups.AddRange(port.SecurityGroups.Select(g => groupNames.GetValueOrDefault(g, g)).Distinct(StringComparer.Ordinal));
                }

                var addresses = order.SelectMany(n => fixedByNetwork[n].Concat(floatingByNetwork[n])).ToList();
                result[Guid.Parse(byDevice.Key)] = new InstanceNetworkView(addresses, groups);
            }

            return result;
        }, cancellationToken);

    /// <summary>The networks (and ports) a request names, checked the way nova's validate_networks does.</summary>
    private static async Task<List<Target>> ResolveAsync(DbConnection c, DbTransaction? t, string projectId, NetworkRequest request, CancellationToken cancellationToken)
    {
        switch (request.Mode)
        {
            case NetworkRequestMode.None:
                return [];
            case NetworkRequestMode.Auto:
                var usable = await NeutronTables.Networks.WhereAsync(c, t, "external = 0 AND (project_id = @projectId OR shared = 1)", new { projectId }, cancellationToken);
                var network = usable.Count switch
                {
                    0 => throw NetworkAllocationErrors.NoNetworkAvailable(projectId),
                    1 => usable[0],
                    _ => throw NetworkAllocationErrors.NetworkAmbiguous(),
                };
                if ((await NeutronService.SubnetsOfAsync(c, t, network.Id, cancellationToken)).Count == 0)
                {
                    throw NetworkAllocationErrors.NetworkRequiresSubnet(network.Id);
                }

                return [new Target(network, null, null)];
        }

        var targets = new List<Target>();
        var seenPorts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in request.Networks)
        {
            if (entry.PortId is { } portId)
            {
                var port = await NeutronTables.Ports.FindAsync(c, t, portId, cancellationToken);
                if (port is null || port.ProjectId != projectId)
                {
                    throw NetworkAllocationErrors.PortNotFound(portId);
                }

                if (port.DeviceId.Length > 0 || !seenPorts.Add(port.Id))
                {
                    throw NetworkAllocationErrors.PortInUse(portId);
                }

                if (port.FixedIps.Count == 0)
                {
                    throw NetworkAllocationErrors.PortRequiresFixedIp(portId);
                }

                var portNetwork = await NeutronTables.Networks.FindAsync(c, t, port.NetworkId, cancellationToken) ?? throw NetworkAllocationErrors.NetworkNotFound(port.NetworkId);
                targets.Add(new Target(portNetwork, port, null));
                continue;
            }

            var networkId = entry.NetworkId ?? throw NetworkAllocationErrors.NetworkNotFound("");
            var found = await NeutronTables.Networks.FindAsync(c, t, networkId, cancellationToken);
            if (found is null || !(found.ProjectId == projectId || found.Shared || found.External))
            {
                throw NetworkAllocationErrors.NetworkNotFound(networkId);
            }

            if (found.External && !found.Shared && found.ProjectId != projectId)
            {
                throw NetworkAllocationErrors.ExternalNetworkAttachForbidden(networkId);
            }

            var subnets = await NeutronService.SubnetsOfAsync(c, t, networkId, cancellationToken);
            if (subnets.Count == 0)
            {
                throw NetworkAllocationErrors.NetworkRequiresSubnet(networkId);
            }

            string? fixedIp = null;
            if (entry.FixedIp is { } requested)
            {
                if (!IpMath.TryParse(requested, out var address, out var version))
                {
                    throw NetworkAllocationErrors.InvalidFixedIp(requested);
                }

                var number = IpMath.ToNumber(address);
                if (!subnets.Any(s => IpSubnet.TryParse(s.Cidr, out var cidr) is null && cidr.Version == version && number >= cidr.FirstHost && number <= cidr.LastHost))
                {
                    throw NetworkAllocationErrors.FixedIpNotOnNetwork(requested, networkId);
                }

                fixedIp = address.ToString();
                var holder = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
                    "SELECT p.device_id FROM net_ip_allocations a JOIN net_ports p ON p.id = a.port_id WHERE a.network_id = @networkId AND a.ip_address = @fixedIp",
                    new { networkId, fixedIp }, t, cancellationToken: cancellationToken));
                if (holder is not null)
                {
                    throw NetworkAllocationErrors.FixedIpAlreadyInUse(fixedIp, holder);
                }
            }

            targets.Add(new Target(found, null, fixedIp));
        }

        return targets;
    }

    /// <summary>Security groups named by nova (names or ids) in the project; the default group is created if needed.</summary>
    private async Task<List<string>> ResolveGroupsAsync(DbConnection c, DbTransaction t, string projectId, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var defaultGroup = await neutron.EnsureDefaultSecurityGroupAsync(c, t, projectId, cancellationToken);
        if (names.Count == 0)
        {
            return [defaultGroup.Id];
        }

        var owned = await NeutronTables.SecurityGroups.WhereAsync(c, t, "project_id = @projectId", new { projectId }, cancellationToken);
        var result = new List<string>();
        foreach (var name in names)
        {
            var byId = owned.FirstOrDefault(g => g.Id == name);
            var matches = byId is not null ? [byId] : owned.Where(g => g.Name == name).ToList();
            var group = matches.Count switch
            {
                0 => throw NetworkAllocationErrors.SecurityGroupNotFound(name),
                1 => matches[0],
                _ => throw NetworkAllocationErrors.SecurityGroupAmbiguous(name),
            };
            if (!result.Contains(group.Id))
            {
                result.Add(group.Id);
            }
        }

        return result;
    }

    private static async Task<List<PortRecord>> PortsOfAsync(DbConnection c, DbTransaction? t, IEnumerable<string> deviceIds, CancellationToken cancellationToken) =>
        (await NeutronTables.Ports.InAsync(c, t, "device_id", deviceIds, cancellationToken))
            .Where(p => p.DeviceOwner.StartsWith(DeviceOwners.ComputePrefix, StringComparison.Ordinal))
            .OrderBy(p => p.CreatedAt).ThenBy(p => p.Id, StringComparer.Ordinal)
            .ToList();

    private static async Task<IReadOnlyList<PortAllocation>> DescribePortsAsync(DbConnection c, DbTransaction t, List<PortRecord> ports, CancellationToken cancellationToken)
    {
        var networks = (await NeutronTables.Networks.InAsync(c, t, "id", ports.Select(p => p.NetworkId), cancellationToken)).ToDictionary(n => n.Id, StringComparer.Ordinal);
        var subnets = (await NeutronTables.Subnets.InAsync(c, t, "id", ports.SelectMany(p => p.FixedIps.Select(f => f.SubnetId)), cancellationToken)).ToDictionary(s => s.Id, StringComparer.Ordinal);
        return ports.Select(p =>
        {
            var network = networks[p.NetworkId];
            var fixedIps = p.FixedIps.Select(f =>
            {
                var subnet = subnets[f.SubnetId];
                return new FixedIp(f.SubnetId, f.IpAddress, subnet.IpVersion, subnet.Cidr, subnet.GatewayIp, subnet.DnsNameservers);
            }).ToList();
            return new PortAllocation(p.Id, p.NetworkId, network.Name, p.MacAddress, network.Mtu, fixedIps);
        }).ToList();
    }

    private static async Task<Dictionary<string, string>> GroupNamesAsync(DbConnection c, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            foreach (var (id, name) in await c.QueryAsync<(string Id, string Name)>(new CommandDefinition(
                "SELECT id, name FROM net_security_groups WHERE id IN @ids", new { ids = chunk }, cancellationToken: cancellationToken)))
            {
                names[id] = name;
            }
        }

        return names;
    }

    private static int VersionOf(string address) => address.Contains(':') ? 6 : 4;

    private sealed record Target(NetworkRecord Network, PortRecord? Port, string? FixedIp);
}
