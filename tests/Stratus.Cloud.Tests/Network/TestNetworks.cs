using System.Text.Json.Nodes;
using Stratus.Cloud.Tests.Support;

namespace Stratus.Cloud.Tests.Network;

/// <summary>Builds networks through the API for tests, including DevStack's topology (public, private, router1).</summary>
internal static class TestNetworks
{
    public static async Task<JsonObject> CreateAsync(ApiHarness api, string token, string collection, string singular, JsonObject body, CancellationToken cancellationToken)
    {
        var reply = await api.PostAsync($"/networking/v2.0/{collection}", token, new JsonObject { [singular] = body }, cancellationToken);
        Assert.True(reply.Status == 201, reply.ToString());
        return reply.Object[singular]!.AsObject();
    }

    public static Task<JsonObject> NetworkAsync(ApiHarness api, string token, string name, CancellationToken cancellationToken, bool shared = false) =>
        CreateAsync(api, token, "networks", "network", new JsonObject { ["name"] = name, ["shared"] = shared }, cancellationToken);

    public static Task<JsonObject> SubnetAsync(ApiHarness api, string token, string networkId, string cidr, CancellationToken cancellationToken, JsonObject? extra = null)
    {
        var body = new JsonObject { ["network_id"] = networkId, ["ip_version"] = cidr.Contains(':') ? 6 : 4, ["cidr"] = cidr, ["name"] = "sub-" + cidr };
        foreach (var (key, value) in extra ?? [])
        {
            body[key] = value?.DeepClone();
        }

        return CreateAsync(api, token, "subnets", "subnet", body, cancellationToken);
    }

    public static Task<JsonObject> PortAsync(ApiHarness api, string token, string networkId, CancellationToken cancellationToken, JsonObject? extra = null)
    {
        var body = new JsonObject { ["network_id"] = networkId };
        foreach (var (key, value) in extra ?? [])
        {
            body[key] = value?.DeepClone();
        }

        return CreateAsync(api, token, "ports", "port", body, cancellationToken);
    }

    /// <summary>
    /// DevStack's layout: admin's external <c>public</c> (flat, 172.24.4.0/24), project A's <c>private</c>
    /// (10.0.0.0/26) and A's <c>router1</c> joining them.
    /// </summary>
    public static async Task<Topology> DevStackAsync(ApiHarness api, CancellationToken cancellationToken)
    {
        var pub = await CreateAsync(api, FakeTokens.Admin, "networks", "network", new JsonObject
        {
            ["name"] = "public", ["router:external"] = true, ["provider:network_type"] = "flat", ["provider:physical_network"] = "public",
        }, cancellationToken);
        var pubSubnet = await SubnetAsync(api, FakeTokens.Admin, Id(pub), "172.24.4.0/24", cancellationToken);
        var priv = await NetworkAsync(api, FakeTokens.Alice, "private", cancellationToken);
        var privSubnet = await SubnetAsync(api, FakeTokens.Alice, Id(priv), "10.0.0.0/26", cancellationToken);
        var router = await CreateAsync(api, FakeTokens.Alice, "routers", "router", new JsonObject
        {
            ["name"] = "router1", ["external_gateway_info"] = new JsonObject { ["network_id"] = Id(pub) },
        }, cancellationToken);
        var add = await api.PutAsync($"/networking/v2.0/routers/{Id(router)}/add_router_interface", FakeTokens.Alice, new JsonObject { ["subnet_id"] = Id(privSubnet) }, cancellationToken);
        Assert.True(add.Status == 200, add.ToString());
        return new Topology(Id(pub), Id(pubSubnet), Id(priv), Id(privSubnet), Id(router));
    }

    public static string Id(JsonObject resource) => resource["id"]!.GetValue<string>();

    public sealed record Topology(string Public, string PublicSubnet, string Private, string PrivateSubnet, string Router);
}
