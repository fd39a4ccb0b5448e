using System.Text.Json.Nodes;
using Stratus.Cloud.Network;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.Tests.Support;
using static Stratus.Cloud.Tests.Network.TestNetworks;

namespace Stratus.Cloud.Tests.Network;

/// <summary>The allocator Compute calls: validation with nova's errors, ports for servers, binding, addresses, release.</summary>
public sealed class NetworkAllocatorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static NetworkRequest On(string networkId, string? fixedIp = null) =>
        new(NetworkRequestMode.Explicit, [new RequestedNetwork(networkId, null, fixedIp, null)]);

    [Fact]
    public async Task ValidateAsync_UnknownNetwork_IsNovasNetworkNotFound400()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var allocator = api.Get<INetworkAllocator>();
        var unknown = Guid.NewGuid().ToString();

        var error = await Assert.ThrowsAsync<ApiException>(() => allocator.ValidateAsync(FakeTokens.ProjectA, On(unknown), Ct));

        Assert.Equal("NetworkNotFound", error.Kind);
        Assert.Equal(400, error.Status);
        Assert.Equal($"Network {unknown} could not be found.", error.Message);
    }

    [Fact]
    public async Task ValidateAsync_AnotherProjectsPrivateNetwork_IsNotFound()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var topology = await DevStackAsync(api, Ct);

        var error = await Assert.ThrowsAsync<ApiException>(() => api.Get<INetworkAllocator>().ValidateAsync(FakeTokens.ProjectB, On(topology.Private), Ct));

        Assert.Equal("NetworkNotFound", error.Kind);
    }

    [Fact]
    public async Task ValidateAsync_Auto_IsAmbiguousWithTwoNetworks_AndUnavailableWithNone()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var allocator = api.Get<INetworkAllocator>();
        var none = await Assert.ThrowsAsync<ApiException>(() => allocator.ValidateAsync(FakeTokens.ProjectA, NetworkRequest.Auto, Ct));
        var topology = await DevStackAsync(api, Ct);
        await allocator.ValidateAsync(FakeTokens.ProjectA, NetworkRequest.Auto, Ct);
        await NetworkAsync(api, FakeTokens.Admin, "shared", Ct, shared: true);

        var ambiguous = await Assert.ThrowsAsync<ApiException>(() => allocator.ValidateAsync(FakeTokens.ProjectA, NetworkRequest.Auto, Ct));

        Assert.Equal("UnableToAutoAllocateNetwork", none.Kind);
        Assert.Equal(400, none.Status);
        Assert.Equal(409, ambiguous.Status);
        Assert.Equal("Multiple possible networks found, use a Network ID to be more specific.", ambiguous.Message);
        Assert.NotNull(topology);
    }

    [Fact]
    public async Task ValidateAsync_ExternalNetworkSubnetlessNetworkAndBadFixedIps_AreRefused()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var topology = await DevStackAsync(api, Ct);
        var empty = await NetworkAsync(api, FakeTokens.Alice, "empty", Ct);
        var taken = await PortAsync(api, FakeTokens.Alice, topology.Private, Ct, new JsonObject { ["device_id"] = "someone" });
        var allocator = api.Get<INetworkAllocator>();

        var external = await Assert.ThrowsAsync<ApiException>(() => allocator.ValidateAsync(FakeTokens.ProjectA, On(topology.Public), Ct));
        var subnetless = await Assert.ThrowsAsync<ApiException>(() => allocator.ValidateAsync(FakeTokens.ProjectA, On(Id(empty)), Ct));
        var garbage = await Assert.ThrowsAsync<ApiException>(() => allocator.ValidateAsync(FakeTokens.ProjectA, On(topology.Private, "10.0.0"), Ct));
        var outside = await Assert.ThrowsAsync<ApiException>(() => allocator.ValidateAsync(FakeTokens.ProjectA, On(topology.Private, "192.168.0.5"), Ct));
        var inUse = await Assert.ThrowsAsync<ApiException>(() => allocator.ValidateAsync(FakeTokens.ProjectA, On(topology.Private, taken["fixed_ips"]![0]!["ip_address"]!.GetValue<string>()), Ct));
        var portInUse = await Assert.ThrowsAsync<ApiException>(() => allocator.ValidateAsync(FakeTokens.ProjectA,
            new NetworkRequest(NetworkRequestMode.Explicit, [new RequestedNetwork(null, Id(taken), null, null)]), Ct));

        Assert.Equal(("ExternalNetworkAttachForbidden", 403), (external.Kind, external.Status));
        Assert.Equal(("NetworkRequiresSubnet", 400), (subnetless.Kind, subnetless.Status));
        Assert.Equal("InvalidIpAddressError", garbage.Kind);
        Assert.Equal("InvalidIpAddressError", outside.Kind);
        Assert.Equal("FixedIpAlreadyInUse", inUse.Kind);
        Assert.Contains("someone", inUse.Message, StringComparison.Ordinal);
        Assert.Equal(("PortInUse", 409), (portInUse.Kind, portInUse.Status));
    }

    [Fact]
    public async Task AllocateAsync_CreatesAComputePortWithTheDefaultGroup_AndIsIdempotent()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var topology = await DevStackAsync(api, Ct);
        var allocator = api.Get<INetworkAllocator>();
        var server = Guid.NewGuid();

        var ports = await allocator.AllocateAsync(FakeTokens.ProjectA, server, NetworkRequest.Auto, [], Ct);
        var again = await allocator.AllocateAsync(FakeTokens.ProjectA, server, NetworkRequest.Auto, [], Ct);
        var viaApi = (await api.GetAsync($"/networking/v2.0/ports?device_id={server}", FakeTokens.Alice, Ct)).Object["ports"]!.AsArray();

        var port = Assert.Single(ports);
        Assert.Equal(port.PortId, Assert.Single(again).PortId);
        Assert.Equal("private", port.NetworkName);
        Assert.Equal(topology.Private, port.NetworkId);
        Assert.Equal(1450, port.Mtu);
        Assert.StartsWith("fa:16:3e:", port.MacAddress, StringComparison.Ordinal);
        var fixedIp = Assert.Single(port.FixedIps);
        Assert.Equal("10.0.0.2", fixedIp.Address);
        Assert.Equal("10.0.0.0/26", fixedIp.Cidr);
        Assert.Equal("10.0.0.1", fixedIp.Gateway);
        var shown = Assert.Single(viaApi)!;
        Assert.Equal("compute:nova", shown["device_owner"]!.GetValue<string>());
        Assert.Equal(FakeTokens.ProjectA, shown["project_id"]!.GetValue<string>());
        Assert.Single(shown["security_groups"]!.AsArray());
    }

    [Fact]
    public async Task AllocateAsync_UnknownSecurityGroup_CreatesNothing()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var topology = await DevStackAsync(api, Ct);
        var server = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<ApiException>(() =>
            api.Get<INetworkAllocator>().AllocateAsync(FakeTokens.ProjectA, server, On(topology.Private), ["no-such-group"], Ct));

        Assert.Equal(("SecurityGroupNotFound", 400), (error.Kind, error.Status));
        Assert.Equal("Security group no-such-group not found.", error.Message);
        Assert.Empty((await api.GetAsync($"/networking/v2.0/ports?device_id={server}", FakeTokens.Alice, Ct)).Object["ports"]!.AsArray());
    }

    [Fact]
    public async Task AllocateAsync_ExhaustedPool_IsNoMoreFixedIps()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var network = await NetworkAsync(api, FakeTokens.Alice, "tiny", Ct);
        await SubnetAsync(api, FakeTokens.Alice, Id(network), "10.7.0.0/30", Ct);
        var allocator = api.Get<INetworkAllocator>();
        await allocator.AllocateAsync(FakeTokens.ProjectA, Guid.NewGuid(), On(Id(network)), [], Ct);

        var error = await Assert.ThrowsAsync<ApiException>(() => allocator.AllocateAsync(FakeTokens.ProjectA, Guid.NewGuid(), On(Id(network)), [], Ct));

        Assert.Equal("NoMoreFixedIps", error.Kind);
        Assert.Equal($"No fixed IP addresses available for network: {Id(network)}", error.Message);
    }

    [Fact]
    public async Task BindAsync_MakesPortsActiveOnTheHost()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        await DevStackAsync(api, Ct);
        var allocator = api.Get<INetworkAllocator>();
        var server = Guid.NewGuid();
        await allocator.AllocateAsync(FakeTokens.ProjectA, server, NetworkRequest.Auto, ["default"], Ct);

        await allocator.BindAsync(server, "compute1", Ct);
        var port = (await api.GetAsync($"/networking/v2.0/ports?device_id={server}", FakeTokens.Admin, Ct)).Object["ports"]![0]!;

        Assert.Equal("ACTIVE", port["status"]!.GetValue<string>());
        Assert.Equal("compute1", port["binding:host_id"]!.GetValue<string>());
        Assert.Equal("ovs", port["binding:vif_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task DescribeAsync_ShowsFixedThenFloatingUnderTheNetworkName_LikeTheSeed()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var topology = await DevStackAsync(api, Ct);
        var allocator = api.Get<INetworkAllocator>();
        var server = Guid.NewGuid();
        var port = Assert.Single(await allocator.AllocateAsync(FakeTokens.ProjectA, server, NetworkRequest.Auto, [], Ct));
        await allocator.BindAsync(server, "compute1", Ct);
        // The network half of `openstack server add floating ip`: find the server's port, then PUT the floating IP.
        var floatingIp = await CreateAsync(api, FakeTokens.Alice, "floatingips", "floatingip", new JsonObject { ["floating_network_id"] = topology.Public }, Ct);
        var portId = (await api.GetAsync($"/networking/v2.0/ports?device_id={server}", FakeTokens.Alice, Ct)).Object["ports"]![0]!["id"]!.GetValue<string>();
        var associate = await api.PutAsync($"/networking/v2.0/floatingips/{Id(floatingIp)}", FakeTokens.Alice, new JsonObject { ["floatingip"] = new JsonObject { ["port_id"] = portId } }, Ct);

        var views = await allocator.DescribeAsync([server, Guid.NewGuid()], Ct);

        Assert.Equal(200, associate.Status);
        var view = Assert.Single(views).Value;
        Assert.Collection(view.Addresses,
            a => Assert.Equal(new ServerAddress("private", "10.0.0.2", 4, "fixed", port.MacAddress), a),
            a => Assert.Equal(new ServerAddress("private", floatingIp["floating_ip_address"]!.GetValue<string>(), 4, "floating", port.MacAddress), a));
        Assert.Equal(["default"], view.SecurityGroups);
        var seedStyle = string.Join("; ", view.Addresses.GroupBy(a => a.NetworkName).Select(g => $"{g.Key}={string.Join(", ", g.Select(a => a.Address))}"));
        Assert.Matches(@"^private=10\.0\.0\.2, 172\.24\.4\.\d+$", seedStyle);
    }

    [Fact]
    public async Task DeallocateAsync_DeletesNovasPorts_UnbindsUsersPorts_AndFreesFloatingIps()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var topology = await DevStackAsync(api, Ct);
        var allocator = api.Get<INetworkAllocator>();
        var userPort = await PortAsync(api, FakeTokens.Alice, topology.Private, Ct);
        var server = Guid.NewGuid();
        var request = new NetworkRequest(NetworkRequestMode.Explicit, [new RequestedNetwork(topology.Private, null, null, null), new RequestedNetwork(null, Id(userPort), null, null)]);
        var ports = await allocator.AllocateAsync(FakeTokens.ProjectA, server, request, [], Ct);
        var novaPort = ports.Single(p => p.PortId != Id(userPort));
        var floatingIp = await CreateAsync(api, FakeTokens.Alice, "floatingips", "floatingip", new JsonObject { ["floating_network_id"] = topology.Public, ["port_id"] = novaPort.PortId }, Ct);

        await allocator.DeallocateAsync(server, Ct);

        Assert.Equal(404, (await api.GetAsync($"/networking/v2.0/ports/{novaPort.PortId}", FakeTokens.Alice, Ct)).Status);
        var kept = (await api.GetAsync($"/networking/v2.0/ports/{Id(userPort)}", FakeTokens.Alice, Ct)).Object["port"]!;
        Assert.Equal("", kept["device_id"]!.GetValue<string>());
        Assert.Equal("DOWN", (await api.GetAsync($"/networking/v2.0/floatingips/{Id(floatingIp)}", FakeTokens.Alice, Ct)).Object["floatingip"]!["status"]!.GetValue<string>());
        Assert.Empty(await allocator.DescribeAsync([server], Ct));
        var reused = Assert.Single(await allocator.AllocateAsync(FakeTokens.ProjectA, Guid.NewGuid(), On(topology.Private), [], Ct));
        Assert.Equal(novaPort.FixedIps[0].Address, reused.FixedIps[0].Address);
    }

    [Fact]
    public async Task AllocateAsync_Concurrently_HandsOutDistinctAddresses_AndDescribesThemInBulk()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        await DevStackAsync(api, Ct);
        var allocator = api.Get<INetworkAllocator>();
        var servers = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToList();

        var allocations = await Task.WhenAll(servers.Select(s => allocator.AllocateAsync(FakeTokens.ProjectA, s, NetworkRequest.Auto, [], Ct)));
        var views = await allocator.DescribeAsync(servers, Ct);

        var addresses = allocations.Select(a => Assert.Single(a).FixedIps[0].Address).ToList();
        Assert.Equal(40, addresses.Distinct().Count());
        Assert.Equal(40, views.Count);
        Assert.Equal(addresses.Order(), servers.Select(s => Assert.Single(views[s].Addresses).Address).Order());
    }
}
