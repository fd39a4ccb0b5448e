using System.Text.Json.Nodes;
using Stratus.Cloud.Tests.Support;
using static Stratus.Cloud.Tests.Network.TestNetworks;

namespace Stratus.Cloud.Tests.Network;

/// <summary>Security groups: the default group per project with neutron's four rules, rule validation, deletion rules.</summary>
public sealed class SecurityGroupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FirstList_CreatesTheDefaultGroupOnce_WithNeutronsRules()
    {
        await using var api = await ApiHarness.StartAsync(Ct);

        var first = (await api.GetAsync("/networking/v2.0/security-groups", FakeTokens.Alice, Ct)).Object["security_groups"]!.AsArray();
        var second = (await api.GetAsync("/networking/v2.0/security-groups", FakeTokens.Alice, Ct)).Object["security_groups"]!.AsArray();

        var group = Assert.Single(first)!.AsObject();
        Assert.Single(second);
        Assert.Equal("default", group["name"]!.GetValue<string>());
        Assert.Equal("Default security group", group["description"]!.GetValue<string>());
        var rules = group["security_group_rules"]!.AsArray().Select(r => (
            Direction: r!["direction"]!.GetValue<string>(),
            Ethertype: r["ethertype"]!.GetValue<string>(),
            Remote: r["remote_group_id"]?.GetValue<string>())).OrderBy(r => r.Direction).ThenBy(r => r.Ethertype).ToList();
        Assert.Equal(
            [("egress", "IPv4", null), ("egress", "IPv6", null), ("ingress", "IPv4", Id(group)), ("ingress", "IPv6", Id(group))],
            rules);
    }

    [Fact]
    public async Task AdminListingForAProject_CreatesThatProjectsDefault_AsTempestCleanupExpects()
    {
        await using var api = await ApiHarness.StartAsync(Ct);

        var reply = await api.GetAsync($"/networking/v2.0/security-groups?tenant_id={FakeTokens.ProjectB}", FakeTokens.Admin, Ct);
        var group = Assert.Single(reply.Object["security_groups"]!.AsArray())!;
        var delete = await api.DeleteAsync($"/networking/v2.0/security-groups/{group["id"]}", FakeTokens.Admin, Ct);

        Assert.Equal(FakeTokens.ProjectB, group["tenant_id"]!.GetValue<string>());
        Assert.Equal(204, delete.Status);
    }

    [Fact]
    public async Task Rules_CreateDuplicateAndInvalid()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var group = await CreateAsync(api, FakeTokens.Alice, "security-groups", "security_group", new JsonObject { ["name"] = "web" }, Ct);
        var ssh = new JsonObject
        {
            ["security_group_id"] = Id(group), ["direction"] = "ingress", ["protocol"] = "tcp", ["port_range_min"] = 22, ["port_range_max"] = 22, ["remote_ip_prefix"] = "0.0.0.0/0",
        };

        var created = await api.PostAsync("/networking/v2.0/security-group-rules", FakeTokens.Alice, new JsonObject { ["security_group_rule"] = ssh }, Ct);
        var duplicate = await api.PostAsync("/networking/v2.0/security-group-rules", FakeTokens.Alice, new JsonObject { ["security_group_rule"] = ssh.DeepClone() }, Ct);
        var shown = (await api.GetAsync($"/networking/v2.0/security-groups/{Id(group)}", FakeTokens.Alice, Ct)).Object["security_group"]!;

        Assert.Equal(201, created.Status);
        Assert.Equal("IPv4", created.Object["security_group_rule"]!["ethertype"]!.GetValue<string>());
        Assert.Equal(409, duplicate.Status);
        Assert.Equal("SecurityGroupRuleExists", duplicate.Object["NeutronError"]!["type"]!.GetValue<string>());
        Assert.Equal(3, shown["security_group_rules"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("""{"direction":"sideways"}""")]
    [InlineData("""{"direction":"ingress","ethertype":"IPv5"}""")]
    [InlineData("""{"direction":"ingress","protocol":"bogus"}""")]
    [InlineData("""{"direction":"ingress","protocol":"tcp","port_range_min":80,"port_range_max":22}""")]
    [InlineData("""{"direction":"ingress","port_range_min":80,"port_range_max":80}""")]
    [InlineData("""{"direction":"ingress","protocol":"icmp","port_range_max":0}""")]
    [InlineData("""{"direction":"ingress","remote_ip_prefix":"fd00::/64"}""")]
    [InlineData("""{"direction":"ingress","remote_ip_prefix":"10.0.0.0/8","remote_group_id":"x"}""")]
    [InlineData("""{"direction":"ingress","protocol":"gre","port_range_min":1,"port_range_max":2}""")]
    public async Task Rules_BadInput_Is400(string body)
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var group = await CreateAsync(api, FakeTokens.Alice, "security-groups", "security_group", new JsonObject { ["name"] = "web" }, Ct);
        var rule = JsonNode.Parse(body)!.AsObject();
        rule["security_group_id"] = Id(group);

        var reply = await api.PostAsync("/networking/v2.0/security-group-rules", FakeTokens.Alice, new JsonObject { ["security_group_rule"] = rule }, Ct);

        Assert.Equal(400, reply.Status);
        Assert.NotNull(reply.Object["NeutronError"]!["type"]);
    }

    [Fact]
    public async Task DeleteDefaultAsMember_AndDeleteInUse_Are409()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var network = await NetworkAsync(api, FakeTokens.Alice, "net", Ct);
        var group = await CreateAsync(api, FakeTokens.Alice, "security-groups", "security_group", new JsonObject { ["name"] = "web" }, Ct);
        await PortAsync(api, FakeTokens.Alice, Id(network), Ct, new JsonObject { ["security_groups"] = new JsonArray((JsonNode)Id(group)) });
        var defaultGroup = (await api.GetAsync("/networking/v2.0/security-groups?name=default", FakeTokens.Alice, Ct)).Object["security_groups"]![0]!;

        var deleteDefault = await api.DeleteAsync($"/networking/v2.0/security-groups/{defaultGroup["id"]}", FakeTokens.Alice, Ct);
        var deleteInUse = await api.DeleteAsync($"/networking/v2.0/security-groups/{Id(group)}", FakeTokens.Alice, Ct);
        var renameDefault = await api.PutAsync($"/networking/v2.0/security-groups/{defaultGroup["id"]}", FakeTokens.Alice, new JsonObject { ["security_group"] = new JsonObject { ["name"] = "other" } }, Ct);

        Assert.Equal("SecurityGroupCannotRemoveDefault", deleteDefault.Object["NeutronError"]!["type"]!.GetValue<string>());
        Assert.Equal("SecurityGroupInUse", deleteInUse.Object["NeutronError"]!["type"]!.GetValue<string>());
        Assert.Equal(409, renameDefault.Status);
    }
}
