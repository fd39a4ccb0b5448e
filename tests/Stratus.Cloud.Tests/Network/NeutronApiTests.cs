using System.Text.Json.Nodes;
using Stratus.Cloud.Tests.Support;
using static Stratus.Cloud.Tests.Network.TestNetworks;

namespace Stratus.Cloud.Tests.Network;

/// <summary>The Neutron v2.0 API over real HTTP: resources, IPAM through ports, filters, paging, errors.</summary>
public sealed class NeutronApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task VersionDocuments_WithoutToken_Are200()
    {
        await using var api = await ApiHarness.StartAsync(Ct);

        var root = await api.GetAsync("/networking/", token: null, Ct);
        var v2 = await api.GetAsync("/networking/v2.0/", token: null, Ct);

        Assert.Equal(200, root.Status);
        Assert.Equal("v2.0", root.Object["versions"]![0]!["id"]!.GetValue<string>());
        Assert.EndsWith("/networking/v2.0/", root.Object["versions"]![0]!["links"]![0]!["href"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(200, v2.Status);
        Assert.Equal(["network", "subnet", "port"], v2.Object["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Networks_WithoutToken_Is401NeutronError()
    {
        await using var api = await ApiHarness.StartAsync(Ct);

        var reply = await api.GetAsync("/networking/v2.0/networks", token: null, Ct);

        Assert.Equal(401, reply.Status);
        Assert.NotNull(reply.Object["NeutronError"]);
    }

    [Fact]
    public async Task Network_CreateAndShow_HasNeutronsShape()
    {
        await using var api = await ApiHarness.StartAsync(Ct);

        var created = await NetworkAsync(api, FakeTokens.Alice, "private", Ct);
        var subnet = await SubnetAsync(api, FakeTokens.Alice, Id(created), "10.0.0.0/26", Ct);
        var shown = (await api.GetAsync($"/networking/v2.0/networks/{Id(created)}", FakeTokens.Alice, Ct)).Object["network"]!.AsObject();
        var asAdmin = (await api.GetAsync($"/networking/v2.0/networks/{Id(created)}", FakeTokens.Admin, Ct)).Object["network"]!.AsObject();

        Assert.Equal("private", shown["name"]!.GetValue<string>());
        Assert.Equal(FakeTokens.ProjectA, shown["tenant_id"]!.GetValue<string>());
        Assert.Equal(FakeTokens.ProjectA, shown["project_id"]!.GetValue<string>());
        Assert.Equal("ACTIVE", shown["status"]!.GetValue<string>());
        Assert.Equal(1450, shown["mtu"]!.GetValue<int>());
        Assert.False(shown["router:external"]!.GetValue<bool>());
        Assert.Equal([Id(subnet)], shown["subnets"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.False(shown.ContainsKey("provider:network_type"));
        Assert.Equal("vxlan", asAdmin["provider:network_type"]!.GetValue<string>());
        Assert.Equal(0, subnet["revision_number"]!.GetValue<int>() - 1);
        Assert.Equal("10.0.0.1", subnet["gateway_ip"]!.GetValue<string>());
        Assert.Equal("10.0.0.2", subnet["allocation_pools"]![0]!["start"]!.GetValue<string>());
        Assert.Equal("10.0.0.62", subnet["allocation_pools"]![0]!["end"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("networks/public")]
    [InlineData("networks/11111111-2222-3333-4444-555555555555")]
    public async Task Network_UnknownIdOrName_Is404NetworkNotFound(string path)
    {
        await using var api = await ApiHarness.StartAsync(Ct);

        var reply = await api.GetAsync($"/networking/v2.0/{path}", FakeTokens.Alice, Ct);

        Assert.Equal(404, reply.Status);
        Assert.Equal("NetworkNotFound", reply.Object["NeutronError"]!["type"]!.GetValue<string>());
        Assert.EndsWith("could not be found.", reply.Object["NeutronError"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("networks", """{"network":{"name":"x","colour":"red"}}""", 400, "HTTPBadRequest")]
    [InlineData("networks", """{"network":{"name":"x","shared":true}}""", 403, "PolicyNotAuthorized")]
    [InlineData("networks", """{"network":{"name":"x","router:external":true}}""", 403, "PolicyNotAuthorized")]
    [InlineData("networks", """{"network":{"name":"x","admin_state_up":"maybe"}}""", 400, "HTTPBadRequest")]
    [InlineData("networks", """{"net":{"name":"x"}}""", 400, "HTTPBadRequest")]
    [InlineData("networks", """{"network":{"name":"x","tenant_id":"someone-else"}}""", 400, "HTTPBadRequest")]
    [InlineData("networks", """{"networks":[{"name":"ok"},{"name":"bad","mtu":"x"}]}""", 400, "HTTPBadRequest")]
    [InlineData("networks", """not json""", 400, "BadRequest")]
    public async Task Create_BadInput_IsNeutronErrorAndCreatesNothing(string collection, string body, int status, string type)
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        var reply = await api.SendAsync(HttpMethod.Post, $"/networking/v2.0/{collection}", FakeTokens.Alice, content, Ct);

        Assert.Equal(status, reply.Status);
        Assert.Equal("application/json", reply.MediaType);
        Assert.Equal(type, reply.Object["NeutronError"]!["type"]!.GetValue<string>());
        Assert.Empty((await api.GetAsync($"/networking/v2.0/{collection}", FakeTokens.Admin, Ct)).Object[collection]!.AsArray());
    }

    [Theory]
    [InlineData("""{"cidr":"10.0.1.1/24"}""", 400)]
    [InlineData("""{"cidr":"banana"}""", 400)]
    [InlineData("""{"cidr":"10.0.1.0/24","ip_version":6}""", 400)]
    [InlineData("""{"cidr":"10.0.1.0/24","ip_version":5}""", 400)]
    [InlineData("""{"cidr":"10.0.1.0/24","gateway_ip":"10.0.2.1"}""", 400)]
    [InlineData("""{"cidr":"10.0.1.0/24","gateway_ip":"10.0.1.5","allocation_pools":[{"start":"10.0.1.2","end":"10.0.1.10"}]}""", 409)]
    [InlineData("""{"cidr":"10.0.1.0/24","allocation_pools":[{"start":"10.0.1.2","end":"10.0.1.10"},{"start":"10.0.1.5","end":"10.0.1.20"}]}""", 409)]
    [InlineData("""{"cidr":"10.0.1.0/24","allocation_pools":[{"start":"10.0.2.2","end":"10.0.2.10"}]}""", 400)]
    [InlineData("""{"cidr":"10.0.1.0/24","dns_nameservers":["8.8.8.8","8.8.8.8"]}""", 400)]
    [InlineData("""{"cidr":"10.0.1.0/24","dns_nameservers":["dns.example"]}""", 400)]
    [InlineData("""{"cidr":"10.0.1.0/24","host_routes":[{"destination":"0.0.0.0/0"}]}""", 400)]
    [InlineData("""{"cidr":"10.0.1.0/24","ipv6_ra_mode":"slaac"}""", 400)]
    [InlineData("""{"cidr":"10.0.0.0/26"}""", 400)]
    [InlineData("""{"ip_version":4}""", 400)]
    public async Task Subnet_BadInput_IsRefused(string extra, int status)
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var network = await NetworkAsync(api, FakeTokens.Alice, "net", Ct);
        await SubnetAsync(api, FakeTokens.Alice, Id(network), "10.0.0.0/25", Ct);
        var body = JsonNode.Parse(extra)!.AsObject();
        body["network_id"] = Id(network);
        body["ip_version"] ??= 4;

        var reply = await api.PostAsync("/networking/v2.0/subnets", FakeTokens.Alice, new JsonObject { ["subnet"] = body }, Ct);

        Assert.Equal(status, reply.Status);
        Assert.NotNull(reply.Object["NeutronError"]);
        Assert.Single((await api.GetAsync("/networking/v2.0/subnets", FakeTokens.Alice, Ct)).Object["subnets"]!.AsArray());
    }

    [Fact]
    public async Task Port_Create_TakesFirstFreeAddress_FaMac_AndDefaultGroup()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var network = await NetworkAsync(api, FakeTokens.Alice, "net", Ct);
        var subnet = await SubnetAsync(api, FakeTokens.Alice, Id(network), "10.0.0.0/26", Ct);

        var first = await PortAsync(api, FakeTokens.Alice, Id(network), Ct);
        var second = await PortAsync(api, FakeTokens.Alice, Id(network), Ct);
        var groups = (await api.GetAsync("/networking/v2.0/security-groups?name=default", FakeTokens.Alice, Ct)).Object["security_groups"]!.AsArray();

        Assert.Equal("10.0.0.2", first["fixed_ips"]![0]!["ip_address"]!.GetValue<string>());
        Assert.Equal(Id(subnet), first["fixed_ips"]![0]!["subnet_id"]!.GetValue<string>());
        Assert.Equal("10.0.0.3", second["fixed_ips"]![0]!["ip_address"]!.GetValue<string>());
        Assert.Matches("^fa:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$", first["mac_address"]!.GetValue<string>());
        Assert.Equal("DOWN", first["status"]!.GetValue<string>());
        Assert.Equal(Id(Assert.Single(groups)!.AsObject()), Assert.Single(first["security_groups"]!.AsArray())!.GetValue<string>());
        Assert.False(first.ContainsKey("binding:host_id"));
    }

    [Fact]
    public async Task Port_AddressRequests_InUseOutsideAndExhausted_AreRefused()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var network = await NetworkAsync(api, FakeTokens.Alice, "tiny", Ct);
        var subnet = await SubnetAsync(api, FakeTokens.Alice, Id(network), "10.9.0.0/29", Ct);
        var fixedIp = new JsonObject { ["fixed_ips"] = new JsonArray(new JsonObject { ["ip_address"] = "10.9.0.5" }) };
        await PortAsync(api, FakeTokens.Alice, Id(network), Ct, fixedIp);

        var inUse = await api.PostAsync("/networking/v2.0/ports", FakeTokens.Alice, Port(Id(network), fixedIp), Ct);
        var outside = await api.PostAsync("/networking/v2.0/ports", FakeTokens.Alice, Port(Id(network), new JsonObject { ["fixed_ips"] = new JsonArray(new JsonObject { ["ip_address"] = "10.8.0.5" }) }), Ct);
        var broadcast = await api.PostAsync("/networking/v2.0/ports", FakeTokens.Alice, Port(Id(network), new JsonObject
        {
            ["fixed_ips"] = new JsonArray(new JsonObject { ["subnet_id"] = Id(subnet), ["ip_address"] = "10.9.0.7" }),
        }), Ct);
        var addresses = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            addresses.Add((await PortAsync(api, FakeTokens.Alice, Id(network), Ct))["fixed_ips"]![0]!["ip_address"]!.GetValue<string>());
        }

        var exhausted = await api.PostAsync("/networking/v2.0/ports", FakeTokens.Alice, Port(Id(network), null), Ct);

        Assert.Equal(409, inUse.Status);
        Assert.Equal("IpAddressInUse", inUse.Object["NeutronError"]!["type"]!.GetValue<string>());
        Assert.Equal(400, outside.Status);
        Assert.Equal("InvalidIpForNetwork", outside.Object["NeutronError"]!["type"]!.GetValue<string>());
        Assert.Equal(400, broadcast.Status);
        Assert.Equal(["10.9.0.2", "10.9.0.3", "10.9.0.4", "10.9.0.6"], addresses);
        Assert.Equal(409, exhausted.Status);
        Assert.Equal("IpAddressGenerationFailure", exhausted.Object["NeutronError"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Port_Delete_ReleasesItsAddressForTheNextPort()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var network = await NetworkAsync(api, FakeTokens.Alice, "net", Ct);
        await SubnetAsync(api, FakeTokens.Alice, Id(network), "10.0.0.0/26", Ct);
        var first = await PortAsync(api, FakeTokens.Alice, Id(network), Ct);
        await PortAsync(api, FakeTokens.Alice, Id(network), Ct);

        Assert.Equal(204, (await api.DeleteAsync($"/networking/v2.0/ports/{Id(first)}", FakeTokens.Alice, Ct)).Status);
        var next = await PortAsync(api, FakeTokens.Alice, Id(network), Ct);

        Assert.Equal("10.0.0.2", next["fixed_ips"]![0]!["ip_address"]!.GetValue<string>());
        Assert.Equal(404, (await api.GetAsync($"/networking/v2.0/ports/{Id(first)}", FakeTokens.Alice, Ct)).Status);
    }

    [Fact]
    public async Task Ports_CreatedConcurrently_NeverShareAnAddress()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var network = await NetworkAsync(api, FakeTokens.Alice, "net", Ct);
        await SubnetAsync(api, FakeTokens.Alice, Id(network), "10.0.0.0/27", Ct);

        var replies = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => api.PostAsync("/networking/v2.0/ports", FakeTokens.Alice, Port(Id(network), null), Ct)));

        var created = replies.Where(r => r.Status == 201).Select(r => r.Object["port"]!["fixed_ips"]![0]!["ip_address"]!.GetValue<string>()).ToList();
        Assert.Equal(29, created.Count);
        Assert.Equal(created.Count, created.Distinct().Count());
        Assert.All(replies.Where(r => r.Status != 201), r => Assert.Equal(409, r.Status));
    }

    [Fact]
    public async Task Port_UpdateFixedIps_KeepsReleasesAndAllocates()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var network = await NetworkAsync(api, FakeTokens.Alice, "net", Ct);
        var subnet = await SubnetAsync(api, FakeTokens.Alice, Id(network), "10.0.0.0/26", Ct);
        var port = await PortAsync(api, FakeTokens.Alice, Id(network), Ct);

        var reply = await api.PutAsync($"/networking/v2.0/ports/{Id(port)}", FakeTokens.Alice, new JsonObject
        {
            ["port"] = new JsonObject
            {
                ["name"] = "renamed",
                ["fixed_ips"] = new JsonArray(new JsonObject { ["subnet_id"] = Id(subnet), ["ip_address"] = "10.0.0.40" }),
            },
        }, Ct);
        var reuse = await PortAsync(api, FakeTokens.Alice, Id(network), Ct);

        Assert.Equal(200, reply.Status);
        Assert.Equal("renamed", reply.Object["port"]!["name"]!.GetValue<string>());
        Assert.Equal("10.0.0.40", reply.Object["port"]!["fixed_ips"]![0]!["ip_address"]!.GetValue<string>());
        Assert.Equal(2, reply.Object["port"]!["revision_number"]!.GetValue<int>());
        Assert.Equal("10.0.0.2", reuse["fixed_ips"]![0]!["ip_address"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_FiltersFieldsAndPaging()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var topology = await DevStackAsync(api, Ct);
        for (var i = 0; i < 5; i++)
        {
            await NetworkAsync(api, FakeTokens.Alice, $"extra-{i}", Ct);
        }

        var external = (await api.GetAsync("/networking/v2.0/networks?router:external=True", FakeTokens.Alice, Ct)).Object["networks"]!.AsArray();
        var byName = (await api.GetAsync("/networking/v2.0/networks?name=private&name=extra-3", FakeTokens.Alice, Ct)).Object["networks"]!.AsArray();
        var fields = (await api.GetAsync("/networking/v2.0/networks?name=private&fields=id&fields=name", FakeTokens.Alice, Ct)).Object["networks"]![0]!.AsObject();
        var byAddress = (await api.GetAsync("/networking/v2.0/ports?fixed_ips=ip_address%3D10.0.0.1", FakeTokens.Alice, Ct)).Object["ports"]!.AsArray();
        var bad = await api.GetAsync("/networking/v2.0/networks?colour=red", FakeTokens.Alice, Ct);
        var names = new List<string>();
        var url = "/networking/v2.0/networks?limit=3&sort_key=name&sort_dir=asc";
        while (url is not null)
        {
            var page = (await api.GetAsync(url, FakeTokens.Alice, Ct)).Object;
            names.AddRange(page["networks"]!.AsArray().Select(n => n!["name"]!.GetValue<string>()));
            var next = (page["networks_links"] as JsonArray)?.FirstOrDefault(l => l!["rel"]!.GetValue<string>() == "next");
            url = next is null ? null : new Uri(next["href"]!.GetValue<string>()).PathAndQuery;
        }

        Assert.Equal(topology.Public, Id(Assert.Single(external)!.AsObject()));
        Assert.Equal(["extra-3", "private"], byName.Select(n => n!["name"]!.GetValue<string>()).Order());
        Assert.Equal(["id", "name"], fields.Select(p => p.Key).Order());
        Assert.Equal("network:router_interface", Assert.Single(byAddress)!["device_owner"]!.GetValue<string>());
        Assert.Equal(400, bad.Status);
        Assert.Equal(["extra-0", "extra-1", "extra-2", "extra-3", "extra-4", "private", "public"], names);
    }

    [Fact]
    public async Task Delete_InUseNetworkOrSubnet_Is409_ThenSucceedsOnceEmpty()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var network = await NetworkAsync(api, FakeTokens.Alice, "net", Ct);
        var subnet = await SubnetAsync(api, FakeTokens.Alice, Id(network), "10.0.0.0/26", Ct);
        var port = await PortAsync(api, FakeTokens.Alice, Id(network), Ct);

        var networkInUse = await api.DeleteAsync($"/networking/v2.0/networks/{Id(network)}", FakeTokens.Alice, Ct);
        var subnetInUse = await api.DeleteAsync($"/networking/v2.0/subnets/{Id(subnet)}", FakeTokens.Alice, Ct);
        await api.DeleteAsync($"/networking/v2.0/ports/{Id(port)}", FakeTokens.Alice, Ct);
        var deleted = await api.DeleteAsync($"/networking/v2.0/networks/{Id(network)}", FakeTokens.Alice, Ct);

        Assert.Equal("NetworkInUse", networkInUse.Object["NeutronError"]!["type"]!.GetValue<string>());
        Assert.Equal("SubnetInUse", subnetInUse.Object["NeutronError"]!["type"]!.GetValue<string>());
        Assert.Equal(204, deleted.Status);
        Assert.Equal(404, (await api.GetAsync($"/networking/v2.0/subnets/{Id(subnet)}", FakeTokens.Alice, Ct)).Status);
    }

    [Fact]
    public async Task BulkCreate_CreatesAllOrNothing()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var bulk = new JsonObject { ["networks"] = new JsonArray(new JsonObject { ["name"] = "n1" }, new JsonObject { ["name"] = "n2" }) };

        var reply = await api.PostAsync("/networking/v2.0/networks", FakeTokens.Alice, bulk, Ct);

        Assert.Equal(201, reply.Status);
        Assert.Equal(["n1", "n2"], reply.Object["networks"]!.AsArray().Select(n => n!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Extensions_ListTheAliasesClientsProbe()
    {
        await using var api = await ApiHarness.StartAsync(Ct);

        var list = await api.GetAsync("/networking/v2.0/extensions", FakeTokens.Alice, Ct);
        var one = await api.GetAsync("/networking/v2.0/extensions/router", FakeTokens.Alice, Ct);
        var missing = await api.GetAsync("/networking/v2.0/extensions/dvr", FakeTokens.Alice, Ct);

        var aliases = list.Object["extensions"]!.AsArray().Select(e => e!["alias"]!.GetValue<string>()).ToList();
        Assert.Contains("router", aliases);
        Assert.Contains("external-net", aliases);
        Assert.Contains("security-group", aliases);
        Assert.Contains("quotas", aliases);
        Assert.Contains("binding", aliases);
        Assert.Equal("Neutron L3 Router", one.Object["extension"]!["name"]!.GetValue<string>());
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task Quotas_SetByAdmin_AreEnforced()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var set = await api.PutAsync($"/networking/v2.0/quotas/{FakeTokens.ProjectA}", FakeTokens.Admin, new JsonObject { ["quota"] = new JsonObject { ["network"] = 1 } }, Ct);
        var byMember = await api.PutAsync($"/networking/v2.0/quotas/{FakeTokens.ProjectA}", FakeTokens.Alice, new JsonObject { ["quota"] = new JsonObject { ["network"] = 10 } }, Ct);
        await NetworkAsync(api, FakeTokens.Alice, "one", Ct);

        var second = await api.PostAsync("/networking/v2.0/networks", FakeTokens.Alice, new JsonObject { ["network"] = new JsonObject { ["name"] = "two" } }, Ct);
        var details = await api.GetAsync($"/networking/v2.0/quotas/{FakeTokens.ProjectA}/details.json", FakeTokens.Alice, Ct);
        var others = await api.GetAsync($"/networking/v2.0/quotas/{FakeTokens.ProjectB}", FakeTokens.Alice, Ct);

        Assert.Equal(200, set.Status);
        Assert.Equal(403, byMember.Status);
        Assert.Equal(409, second.Status);
        Assert.Equal("OverQuota", second.Object["NeutronError"]!["type"]!.GetValue<string>());
        Assert.Equal(1, details.Object["quota"]!["network"]!["used"]!.GetValue<long>());
        Assert.Equal(-1, details.Object["quota"]!["port"]!["limit"]!.GetValue<long>());
        Assert.Equal(403, others.Status);
    }

    private static JsonObject Port(string networkId, JsonObject? extra)
    {
        var body = new JsonObject { ["network_id"] = networkId };
        foreach (var (key, value) in extra ?? [])
        {
            body[key] = value?.DeepClone();
        }

        return new JsonObject { ["port"] = body };
    }
}
