using System.Text.Json.Nodes;

namespace Stratus.EndToEnd.Tests.Network;

/// <summary>
/// The real <c>openstack</c> CLI (openstacksdk's network proxy) against a real controller: networks, subnets,
/// routers, floating IPs from <c>public</c>, security groups, isolation between projects, and errors.
/// </summary>
public sealed class NetworkCliTests(NetworkCloudFixture cloud) : IClassFixture<NetworkCloudFixture>
{
    [Fact]
    public async Task NetworkList_ShowsNetworksWithTheirSubnets()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await CliSteps.MemberOfNewProjectAsync(cloud.Url, "netlist", ct);
        var network = (await CliSteps.RunAsync(member, ct, "network", "create", "private", "-f", "json"))!;
        var created = (await CliSteps.RunAsync(member, ct, "subnet", "create", "--network", "private", "--subnet-range", "10.0.0.0/26", "private-subnet", "-f", "json"))!;

        var list = (await CliSteps.RunAsync(member, ct, "network", "list", "-f", "json"))!.AsArray();

        var names = list.Select(n => (string)n!["Name"]!).ToList();
        Assert.Contains("public", names);
        Assert.Contains("private", names);
        var priv = list.Single(n => (string)n!["Name"]! == "private")!;
        Assert.Equal((string)network["id"]!, (string)priv["ID"]!);
        Assert.Equal([(string)created["id"]!], priv["Subnets"]!.AsArray().Select(s => (string)s!));
        Assert.Equal("10.0.0.1", (string)created["gateway_ip"]!);
    }

    [Fact]
    public async Task FloatingIpCreate_FromPublic_AndAssociateThroughARouter()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await CliSteps.MemberOfNewProjectAsync(cloud.Url, "fip", ct);
        await CliSteps.RunAsync(member, ct, "network", "create", "private");
        await CliSteps.RunAsync(member, ct, "subnet", "create", "--network", "private", "--subnet-range", "10.0.0.0/26", "private-subnet");
        await CliSteps.RunAsync(member, ct, "router", "create", "router1");
        await CliSteps.RunAsync(member, ct, "router", "set", "--external-gateway", "public", "router1");
        await CliSteps.RunAsync(member, ct, "router", "add", "subnet", "router1", "private-subnet");
        var port = (await CliSteps.RunAsync(member, ct, "port", "create", "--network", "private", "--device-owner", "compute:nova", "vm-port", "-f", "json"))!;

        var floating = (await CliSteps.RunAsync(member, ct, "floating", "ip", "create", "public", "-f", "json"))!;
        var address = (string)floating["floating_ip_address"]!;
        await CliSteps.RunAsync(member, ct, "floating", "ip", "set", "--port", (string)port["id"]!, address);
        var shown = (await CliSteps.RunAsync(member, ct, "floating", "ip", "show", address, "-f", "json"))!;

        Assert.StartsWith("172.24.4.", address, StringComparison.Ordinal);
        Assert.Equal("DOWN", (string)floating["status"]!);
        Assert.Equal("ACTIVE", (string)shown["status"]!);
        Assert.Equal((string)port["id"]!, (string)shown["port_id"]!);
        Assert.StartsWith("10.0.0.", (string)shown["fixed_ip_address"]!, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty((string?)shown["router_id"]));
    }

    [Fact]
    public async Task Member_CannotSeeAnotherProjectsPrivateNetwork()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await CliSteps.MemberOfNewProjectAsync(cloud.Url, "net-a", ct);
        var other = await CliSteps.MemberOfNewProjectAsync(cloud.Url, "net-b", ct);
        var name = CliSteps.Unique("secret-net");
        await CliSteps.RunAsync(owner, ct, "network", "create", name);

        var list = (await CliSteps.RunAsync(other, ct, "network", "list", "-f", "json"))!.AsArray();
        var show = await other.OpenStackAsync(ct, "network", "show", name);
        var groups = (await CliSteps.RunAsync(other, ct, "security", "group", "list", "-f", "json"))!.AsArray();

        Assert.DoesNotContain(list, n => (string)n!["Name"]! == name);
        Assert.NotEqual(0, show.ExitCode);
        Assert.Contains($"No Network found for {name}", show.Stderr, StringComparison.Ordinal);
        Assert.Equal("default", (string)Assert.Single(groups)!["Name"]!);
    }

    [Fact]
    public async Task BadInput_GetsNeutronsStatusAndMessage()
    {
        var ct = TestContext.Current.CancellationToken;
        var member = await CliSteps.MemberOfNewProjectAsync(cloud.Url, "badnet", ct);
        await CliSteps.RunAsync(member, ct, "network", "create", "mynet");

        var hostBits = await member.OpenStackAsync(ct, "subnet", "create", "--network", "mynet", "--subnet-range", "10.1.0.1/24", "bad");
        var shared = await member.OpenStackAsync(ct, "network", "create", "--share", CliSteps.Unique("shared"));
        var onInternal = await member.OpenStackAsync(ct, "floating", "ip", "create", "mynet");
        var token = await CliSteps.TokenAsync(member, ct);
        var byNameAsNovaDoes = await CliSteps.GetAsync(cloud.Url, "networking/v2.0/networks?name=mynet", token, ct);
        var notFound = await CliSteps.GetAsync(cloud.Url, "networking/v2.0/networks/mynet", token, ct);

        Assert.NotEqual(0, hostBits.ExitCode);
        Assert.Contains("isn't a recommended CIDR, '10.1.0.0/24' is recommended", hostBits.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, shared.ExitCode);
        Assert.Contains("disallowed by policy", shared.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, onInternal.ExitCode);
        Assert.Contains("is not a valid external network", onInternal.Stderr, StringComparison.Ordinal);
        Assert.Equal(200, byNameAsNovaDoes.Status);
        Assert.Single(JsonNode.Parse(byNameAsNovaDoes.Body)!["networks"]!.AsArray());
        Assert.Equal(404, notFound.Status);
        Assert.Equal("NetworkNotFound", (string)JsonNode.Parse(notFound.Body)!["NeutronError"]!["type"]!);
        Assert.Empty((await CliSteps.RunAsync(member, ct, "subnet", "list", "-f", "json"))!.AsArray());
    }
}
