using System.Text.Json.Nodes;
using Stratus.Cloud.Tests.Support;
using static Stratus.Cloud.Tests.Network.TestNetworks;

namespace Stratus.Cloud.Tests.Network;

/// <summary>Tenants never see another project's data: a member sees its own, shared and external networks only.</summary>
public sealed class NetworkIsolationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Member_SeesOwnSharedAndExternalNetworks_NotOthersPrivateOnes()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var topology = await DevStackAsync(api, Ct);
        var shared = await NetworkAsync(api, FakeTokens.Admin, "shared", Ct, shared: true);
        var bobs = await NetworkAsync(api, FakeTokens.Bob, "bobnet", Ct);

        var visibleToBob = await NamesAsync(api, FakeTokens.Bob, "networks");
        var visibleToAdmin = await NamesAsync(api, FakeTokens.Admin, "networks");

        Assert.Equal(["bobnet", "public", "shared"], visibleToBob.Order());
        Assert.Equal(["bobnet", "private", "public", "shared"], visibleToAdmin.Order());
        Assert.Equal(404, (await api.GetAsync($"/networking/v2.0/networks/{topology.Private}", FakeTokens.Bob, Ct)).Status);
        Assert.Equal(404, (await api.GetAsync($"/networking/v2.0/subnets/{topology.PrivateSubnet}", FakeTokens.Bob, Ct)).Status);
        Assert.Equal(404, (await api.DeleteAsync($"/networking/v2.0/networks/{topology.Private}", FakeTokens.Bob, Ct)).Status);
        Assert.Equal(403, (await api.DeleteAsync($"/networking/v2.0/networks/{Id(shared)}", FakeTokens.Bob, Ct)).Status);
        Assert.Empty(await NamesAsync(api, FakeTokens.Alice, "networks?name=bobnet"));
        Assert.Equal(404, (await api.GetAsync($"/networking/v2.0/networks/{Id(bobs)}", FakeTokens.Alice, Ct)).Status);
    }

    [Fact]
    public async Task Member_CannotUseOrSeeAnotherProjectsPortsRoutersGroupsOrFloatingIps()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var topology = await DevStackAsync(api, Ct);
        var port = await PortAsync(api, FakeTokens.Alice, topology.Private, Ct);
        var floatingIp = await CreateAsync(api, FakeTokens.Alice, "floatingips", "floatingip", new JsonObject { ["floating_network_id"] = topology.Public }, Ct);

        var portOnPrivate = await api.PostAsync("/networking/v2.0/ports", FakeTokens.Bob, new JsonObject { ["port"] = new JsonObject { ["network_id"] = topology.Private } }, Ct);
        var portOnPublic = await api.PostAsync("/networking/v2.0/ports", FakeTokens.Bob, new JsonObject { ["port"] = new JsonObject { ["network_id"] = topology.Public } }, Ct);
        var steal = await api.PutAsync($"/networking/v2.0/floatingips/{Id(floatingIp)}", FakeTokens.Bob, new JsonObject { ["floatingip"] = new JsonObject { ["port_id"] = null } }, Ct);

        Assert.Equal(404, portOnPrivate.Status);
        Assert.Equal(403, portOnPublic.Status);
        Assert.Equal(404, steal.Status);
        Assert.Equal(404, (await api.GetAsync($"/networking/v2.0/ports/{Id(port)}", FakeTokens.Bob, Ct)).Status);
        Assert.Empty((await api.GetAsync($"/networking/v2.0/ports?device_id=", FakeTokens.Bob, Ct)).Object["ports"]!.AsArray());
        Assert.Empty((await api.GetAsync("/networking/v2.0/routers", FakeTokens.Bob, Ct)).Object["routers"]!.AsArray());
        Assert.Empty((await api.GetAsync("/networking/v2.0/floatingips", FakeTokens.Bob, Ct)).Object["floatingips"]!.AsArray());
        var bobsGroups = (await api.GetAsync("/networking/v2.0/security-groups", FakeTokens.Bob, Ct)).Object["security_groups"]!.AsArray();
        Assert.All(bobsGroups, g => Assert.Equal(FakeTokens.ProjectB, g!["project_id"]!.GetValue<string>()));
    }

    private static async Task<List<string>> NamesAsync(ApiHarness api, string token, string path)
    {
        var collection = path.Split('?')[0];
        var reply = await api.GetAsync($"/networking/v2.0/{path}", token, Ct);
        Assert.True(reply.Status == 200, reply.ToString());
        return reply.Object[collection]!.AsArray().Select(n => n!["name"]!.GetValue<string>()).ToList();
    }
}
