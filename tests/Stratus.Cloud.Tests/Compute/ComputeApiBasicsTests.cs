using System.Net;
using Stratus.Cloud.Tests.Compute.Support;

namespace Stratus.Cloud.Tests.Compute;

public sealed class ComputeApiBasicsTests
{
    [Fact]
    public async Task Versions_WithoutToken_ListV21With279()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);

        var root = await api.GetAsync("/compute", token: null);
        var v21 = await api.GetAsync("/compute/v2.1", token: null);

        Assert.Equal(HttpStatusCode.OK, root.Status);
        var entry = Assert.Single(root.Object["versions"]!.AsArray())!;
        Assert.Equal("2.79", entry["version"]!.GetValue<string>());
        Assert.Equal("2.1", entry["min_version"]!.GetValue<string>());
        Assert.EndsWith("/compute/v2.1/", entry["links"]![0]!["href"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, v21.Status);
        Assert.Equal("CURRENT", v21.Object["version"]!["status"]!.GetValue<string>());
        Assert.Equal("application/vnd.openstack.compute+json;version=2.1", v21.Object["version"]!["media-types"]![0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Servers_WithoutToken_Are401InNovasEnvelope()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);

        var response = await api.GetAsync("servers", token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("unauthorized", response.Fault.Name);
    }

    [Fact]
    public async Task Microversion_Echoed_AndLatestMeans279()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);

        var response = await api.GetAsync("servers", version: "latest");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("2.79", response.Headers.GetValues("X-OpenStack-Nova-API-Version").Single());
        Assert.Equal("compute 2.79", response.Headers.GetValues("OpenStack-API-Version").Single());
        Assert.StartsWith("req-", response.Headers.GetValues("x-compute-request-id").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2.99", HttpStatusCode.NotAcceptable, "computeFault")]
    [InlineData("2.05", HttpStatusCode.BadRequest, "badRequest")]
    [InlineData("abc", HttpStatusCode.BadRequest, "badRequest")]
    public async Task Microversion_Unsupported_Is406AndMalformed400(string version, HttpStatusCode status, string fault)
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);

        var response = await api.GetAsync("servers", version: version);

        Assert.Equal(status, response.Status);
        Assert.Equal(fault, response.Fault.Name);
    }

    [Fact]
    public async Task UnknownRoute_Is404ItemNotFound()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);

        var response = await api.GetAsync("no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("itemNotFound", response.Fault.Name);
    }

    [Fact]
    public async Task AvailabilityZones_ListNovaAndHideInternal_DetailForAdminsOnly()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        await api.AddComputeHostAsync("compute1");
        await api.ComputeServices.EnsureAsync("nova-scheduler", "controller", "internal", null, TestContext.Current.CancellationToken);

        var zones = await api.GetAsync("os-availability-zone", FakeTokenValidator.DemoToken);
        var detail = await api.GetAsync("os-availability-zone/detail");
        var denied = await api.GetAsync("os-availability-zone/detail", FakeTokenValidator.DemoToken);

        var zone = Assert.Single(zones.Object["availabilityZoneInfo"]!.AsArray())!;
        Assert.Equal("nova", zone["zoneName"]!.GetValue<string>());
        Assert.Null(zone["hosts"]);
        var hosts = detail.Object["availabilityZoneInfo"]!.AsArray().Single(z => z!["zoneName"]!.GetValue<string>() == "nova")!["hosts"]!;
        Assert.True(hosts["compute1"]!["nova-compute"]!["available"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Forbidden, denied.Status);
    }
}
