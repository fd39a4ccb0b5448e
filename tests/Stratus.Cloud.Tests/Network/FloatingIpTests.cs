using System.Text.Json.Nodes;
using Stratus.Cloud.Tests.Support;
using static Stratus.Cloud.Tests.Network.TestNetworks;

namespace Stratus.Cloud.Tests.Network;

/// <summary>Floating IPs from an external network: create, associate through a router, disassociate, delete.</summary>
public sealed class FloatingIpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_FromExternalNetwork_IsDownWithAPoolAddress()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var topology = await DevStackAsync(api, Ct);

        var floatingIp = await CreateAsync(api, FakeTokens.Alice, "floatingips", "floatingip", new JsonObject { ["floating_network_id"] = topology.Public }, Ct);

        Assert.Equal("DOWN", floatingIp["status"]!.GetValue<string>());
        Assert.StartsWith("172.24.4.", floatingIp["floating_ip_address"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(floatingIp["port_id"]);
        Assert.Null(floatingIp["port_details"]);
        Assert.Equal(FakeTokens.ProjectA, floatingIp["project_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_OnNonExternalOrUnknownNetwork_IsRefused()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var topology = await DevStackAsync(api, Ct);

        var internalNet = await api.PostAsync("/networking/v2.0/floatingips", FakeTokens.Alice, new JsonObject { ["floatingip"] = new JsonObject { ["floating_network_id"] = topology.Private } }, Ct);
        var unknown = await api.PostAsync("/networking/v2.0/floatingips", FakeTokens.Alice, new JsonObject { ["floatingip"] = new JsonObject { ["floating_network_id"] = Guid.NewGuid().ToString() } }, Ct);
        var chosenAddress = await api.PostAsync("/networking/v2.0/floatingips", FakeTokens.Alice, new JsonObject
        {
            ["floatingip"] = new JsonObject { ["floating_network_id"] = topology.Public, ["floating_ip_address"] = "172.24.4.99" },
        }, Ct);

        Assert.Equal(400, internalNet.Status);
        Assert.Equal(404, unknown.Status);
        Assert.Equal("NetworkNotFound", unknown.Object["NeutronError"]!["type"]!.GetValue<string>());
        Assert.Equal(403, chosenAddress.Status);
        Assert.Empty((await api.GetAsync("/networking/v2.0/floatingips", FakeTokens.Admin, Ct)).Object["floatingips"]!.AsArray());
    }

    [Fact]
    public async Task Associate_ThroughRouter_IsActive_ThenDisassociateAndDelete()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var topology = await DevStackAsync(api, Ct);
        var port = await PortAsync(api, FakeTokens.Alice, topology.Private, Ct, new JsonObject { ["device_id"] = "vm-1", ["device_owner"] = "compute:nova" });
        var floatingIp = await CreateAsync(api, FakeTokens.Alice, "floatingips", "floatingip", new JsonObject { ["floating_network_id"] = topology.Public }, Ct);
        var fixedAddress = port["fixed_ips"]![0]!["ip_address"]!.GetValue<string>();

        var associated = await api.PutAsync($"/networking/v2.0/floatingips/{Id(floatingIp)}", FakeTokens.Alice, new JsonObject { ["floatingip"] = new JsonObject { ["port_id"] = Id(port) } }, Ct);
        var byPort = (await api.GetAsync($"/networking/v2.0/floatingips?port_id={Id(port)}", FakeTokens.Alice, Ct)).Object["floatingips"]!.AsArray();
        var disassociated = await api.PutAsync($"/networking/v2.0/floatingips/{Id(floatingIp)}", FakeTokens.Alice, new JsonObject { ["floatingip"] = new JsonObject { ["port_id"] = null } }, Ct);
        var deleted = await api.DeleteAsync($"/networking/v2.0/floatingips/{Id(floatingIp)}", FakeTokens.Alice, Ct);

        Assert.Equal(200, associated.Status);
        var body = associated.Object["floatingip"]!;
        Assert.Equal("ACTIVE", body["status"]!.GetValue<string>());
        Assert.Equal(fixedAddress, body["fixed_ip_address"]!.GetValue<string>());
        Assert.Equal(topology.Router, body["router_id"]!.GetValue<string>());
        Assert.Equal("vm-1", body["port_details"]!["device_id"]!.GetValue<string>());
        Assert.Single(byPort);
        Assert.Equal("DOWN", disassociated.Object["floatingip"]!["status"]!.GetValue<string>());
        Assert.Null(disassociated.Object["floatingip"]!["router_id"]);
        Assert.Equal(204, deleted.Status);
        Assert.Equal(404, (await api.GetAsync($"/networking/v2.0/floatingips/{Id(floatingIp)}", FakeTokens.Alice, Ct)).Status);
    }

    [Fact]
    public async Task Associate_PortOnSubnetWithoutRouter_Is404ExternalGatewayNotFound()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var topology = await DevStackAsync(api, Ct);
        var isolated = await NetworkAsync(api, FakeTokens.Alice, "isolated", Ct);
        await SubnetAsync(api, FakeTokens.Alice, Id(isolated), "192.168.50.0/24", Ct);
        var port = await PortAsync(api, FakeTokens.Alice, Id(isolated), Ct);
        var floatingIp = await CreateAsync(api, FakeTokens.Alice, "floatingips", "floatingip", new JsonObject { ["floating_network_id"] = topology.Public }, Ct);

        var reply = await api.PutAsync($"/networking/v2.0/floatingips/{Id(floatingIp)}", FakeTokens.Alice, new JsonObject { ["floatingip"] = new JsonObject { ["port_id"] = Id(port) } }, Ct);

        Assert.Equal(404, reply.Status);
        Assert.Equal("ExternalGatewayForFloatingIPNotFound", reply.Object["NeutronError"]!["type"]!.GetValue<string>());
        Assert.Equal("DOWN", (await api.GetAsync($"/networking/v2.0/floatingips/{Id(floatingIp)}", FakeTokens.Alice, Ct)).Object["floatingip"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task SecondFloatingIpOnTheSameFixedIp_Is409()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var topology = await DevStackAsync(api, Ct);
        var port = await PortAsync(api, FakeTokens.Alice, topology.Private, Ct);
        var first = await CreateAsync(api, FakeTokens.Alice, "floatingips", "floatingip", new JsonObject { ["floating_network_id"] = topology.Public, ["port_id"] = Id(port) }, Ct);
        var second = await CreateAsync(api, FakeTokens.Alice, "floatingips", "floatingip", new JsonObject { ["floating_network_id"] = topology.Public }, Ct);

        var reply = await api.PutAsync($"/networking/v2.0/floatingips/{Id(second)}", FakeTokens.Alice, new JsonObject { ["floatingip"] = new JsonObject { ["port_id"] = Id(port) } }, Ct);

        Assert.Equal("ACTIVE", first["status"]!.GetValue<string>());
        Assert.Equal(409, reply.Status);
        Assert.Equal("FloatingIPPortAlreadyAssociated", reply.Object["NeutronError"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeletingThePort_DisassociatesItsFloatingIp()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var topology = await DevStackAsync(api, Ct);
        var port = await PortAsync(api, FakeTokens.Alice, topology.Private, Ct);
        var floatingIp = await CreateAsync(api, FakeTokens.Alice, "floatingips", "floatingip", new JsonObject { ["floating_network_id"] = topology.Public, ["port_id"] = Id(port) }, Ct);

        await api.DeleteAsync($"/networking/v2.0/ports/{Id(port)}", FakeTokens.Alice, Ct);
        var after = (await api.GetAsync($"/networking/v2.0/floatingips/{Id(floatingIp)}", FakeTokens.Alice, Ct)).Object["floatingip"]!;

        Assert.Equal("DOWN", after["status"]!.GetValue<string>());
        Assert.Null(after["port_id"]);
    }

    [Fact]
    public async Task Router_InterfaceNeededByFloatingIp_CannotBeRemoved_AndRouterWithPortsCannotBeDeleted()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var topology = await DevStackAsync(api, Ct);
        var port = await PortAsync(api, FakeTokens.Alice, topology.Private, Ct);
        await CreateAsync(api, FakeTokens.Alice, "floatingips", "floatingip", new JsonObject { ["floating_network_id"] = topology.Public, ["port_id"] = Id(port) }, Ct);

        var remove = await api.PutAsync($"/networking/v2.0/routers/{topology.Router}/remove_router_interface", FakeTokens.Alice, new JsonObject { ["subnet_id"] = topology.PrivateSubnet }, Ct);
        var delete = await api.DeleteAsync($"/networking/v2.0/routers/{topology.Router}", FakeTokens.Alice, Ct);
        var router = (await api.GetAsync($"/networking/v2.0/routers/{topology.Router}", FakeTokens.Alice, Ct)).Object["router"]!;
        var interfacePortDelete = await api.DeleteAsync($"/networking/v2.0/ports/{Id((await api.GetAsync($"/networking/v2.0/ports?device_id={topology.Router}", FakeTokens.Alice, Ct)).Object["ports"]![0]!.AsObject())}", FakeTokens.Alice, Ct);

        Assert.Equal(409, remove.Status);
        Assert.Equal("RouterInterfaceInUseByFloatingIP", remove.Object["NeutronError"]!["type"]!.GetValue<string>());
        Assert.Equal(409, delete.Status);
        Assert.Equal(topology.Public, router["external_gateway_info"]!["network_id"]!.GetValue<string>());
        Assert.StartsWith("172.24.4.", router["external_gateway_info"]!["external_fixed_ips"]![0]!["ip_address"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(409, interfacePortDelete.Status);
    }
}
