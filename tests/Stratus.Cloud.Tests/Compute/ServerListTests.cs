using System.Net;
using System.Text.Json.Nodes;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Tests.Compute.Support;

namespace Stratus.Cloud.Tests.Compute;

public sealed class ServerListTests
{
    private static IEnumerable<string> Names(ApiResponse response) => response.Object["servers"]!.AsArray().Select(s => s!["name"]!.GetValue<string>());

    [Fact]
    public async Task Detail_DemoUser_SeesOnlyItsProjectAndIgnoresAllTenants()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        await api.AddServerAsync(FakeTokenValidator.AdminProject, "admin-vm");
        await api.AddServerAsync(FakeTokenValidator.DemoProject, "demo-vm", userId: "demo-user");

        var demo = await api.GetAsync("servers/detail?all_tenants=1", FakeTokenValidator.DemoToken);
        var admin = await api.GetAsync("servers/detail");
        var all = await api.GetAsync("servers/detail?all_tenants=True");

        Assert.Equal(["demo-vm"], Names(demo));
        Assert.Equal(["admin-vm"], Names(admin));
        Assert.Equal(["admin-vm", "demo-vm"], Names(all).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Show_OtherProjectsServer_Is404ForDemoAndVisibleToAdmin()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var server = await api.AddServerAsync(FakeTokenValidator.AdminProject, "admin-vm");

        var demo = await api.GetAsync($"servers/{server.Id}", FakeTokenValidator.DemoToken);
        var deleteByDemo = await api.DeleteAsync($"servers/{server.Id}", FakeTokenValidator.DemoToken);
        var stopByDemo = await api.PostAsync($"servers/{server.Id}/action", new JsonObject { ["os-stop"] = null }, FakeTokenValidator.DemoToken);
        var admin = await api.GetAsync($"servers/{server.Id}");

        Assert.Equal(HttpStatusCode.NotFound, demo.Status);
        Assert.Equal($"Instance {server.Id} could not be found.", demo.Fault.Message);
        Assert.Equal(HttpStatusCode.NotFound, deleteByDemo.Status);
        Assert.Equal(HttpStatusCode.NotFound, stopByDemo.Status);
        Assert.Equal(HttpStatusCode.OK, admin.Status);
        Assert.Empty(api.Conductor.Calls);
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("-1")]
    [InlineData("b4e0a940-30fa-4616-97fe-4e07b754a0f4-extra")]
    public async Task Show_BadOrUnknownId_Is404(string id)
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);

        var response = await api.GetAsync($"servers/{id}");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("itemNotFound", response.Fault.Name);
    }

    [Fact]
    public async Task List_Paging_FollowsNextLinksToTheEnd()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var start = new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 5; i++)
        {
            await api.AddServerAsync(name: $"vm{i}", createdAt: start.AddMinutes(i));
        }

        var seen = new List<string>();
        var path = "servers?limit=2&name=vm";
        var pages = 0;
        while (path is not null && pages++ < 10)
        {
            var page = await api.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            seen.AddRange(Names(page));
            var next = page.Object["servers_links"]?[0]?["href"]?.GetValue<string>();
            Assert.True(next is null || next.Contains("name=vm", StringComparison.Ordinal));
            path = next is null ? null : new Uri(next).PathAndQuery;
        }

        Assert.Equal(["vm4", "vm3", "vm2", "vm1", "vm0"], seen);
    }

    [Theory]
    [InlineData("servers?limit=-1", HttpStatusCode.BadRequest)]
    [InlineData("servers?limit=abc", HttpStatusCode.BadRequest)]
    [InlineData("servers?marker=00000000-0000-0000-0000-000000000000", HttpStatusCode.BadRequest)]
    [InlineData("servers?marker=junk", HttpStatusCode.BadRequest)]
    [InlineData("servers?changes-since=yesterday", HttpStatusCode.BadRequest)]
    [InlineData("servers?name=%5B", HttpStatusCode.BadRequest)]
    public async Task List_BadPagingOrFilter_Is400(string path, HttpStatusCode status)
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        await api.AddServerAsync();

        var response = await api.GetAsync(path);

        Assert.Equal(status, response.Status);
        Assert.Equal("badRequest", response.Fault.Name);
    }

    [Fact]
    public async Task List_LimitZero_IsEmpty()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        await api.AddServerAsync();

        var response = await api.GetAsync("servers?limit=0");

        Assert.Empty(response.Object["servers"]!.AsArray());
    }

    [Fact]
    public async Task List_Filters_NameRegexStatusAndIp()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var web1 = await api.AddServerAsync(name: "web-1");
        var web2 = await api.AddServerAsync(name: "web-2", vmState: VmStates.Stopped);
        var db = await api.AddServerAsync(name: "db-1");
        api.Network.Attach(web1.Id, "10.0.0.5");
        api.Network.Attach(web2.Id, "10.0.0.6");
        api.Network.Attach(db.Id, "10.0.0.15");

        Assert.Equal(["web-1", "web-2"], Names(await api.GetAsync("servers?name=^web")).Order(StringComparer.Ordinal));
        Assert.Equal(["web-2"], Names(await api.GetAsync("servers/detail?status=shutoff")));
        Assert.Equal(["web-1"], Names(await api.GetAsync("servers/detail?ip=10.0.0.5")));
        Assert.Equal(["db-1", "web-1", "web-2"], Names(await api.GetAsync("servers?ip=10.0.0.")).Order(StringComparer.Ordinal));
        Assert.Empty(Names(await api.GetAsync("servers?status=NOPE")));
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("servers?status=NOPE", version: "2.38")).Status);
    }

    [Fact]
    public async Task List_DeletedServers_OnlyForAdmins()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        await api.AddServerAsync(name: "gone", vmState: VmStates.Deleted, adjust: i => i with { Deleted = true, DeletedAt = DateTime.UtcNow });
        await api.AddServerAsync(FakeTokenValidator.DemoProject, "demo-gone", VmStates.Deleted, adjust: i => i with { Deleted = true });

        var admin = await api.GetAsync("servers/detail?deleted=true&all_tenants=1");
        var demo = await api.GetAsync("servers/detail?status=DELETED", FakeTokenValidator.DemoToken);
        var demoDeletedParam = await api.GetAsync("servers/detail?deleted=true", FakeTokenValidator.DemoToken);

        Assert.Equal(["demo-gone", "gone"], Names(admin).Order(StringComparer.Ordinal));
        Assert.All(admin.Object["servers"]!.AsArray(), s => Assert.Equal("DELETED", s!["status"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Forbidden, demo.Status);
        Assert.Empty(Names(demoDeletedParam));
    }

    [Fact]
    public async Task Index_HasOnlyIdNameLinks()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        await api.AddServerAsync();

        var server = (await api.GetAsync("servers")).Object["servers"]![0]!.AsObject();

        Assert.Equal(["id", "links", "name"], server.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Update_RenamesAndAnswersWithTheReducedViewBelow275()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var server = await api.AddServerAsync(FakeTokenValidator.DemoProject, "old", userId: "demo-user");

        var response = await api.PutAsync($"servers/{server.Id}", new JsonObject { ["server"] = new JsonObject { ["name"] = "new" } }, FakeTokenValidator.DemoToken);
        var full = await api.PutAsync($"servers/{server.Id}", new JsonObject { ["server"] = new JsonObject { ["description"] = "d" } }, FakeTokenValidator.DemoToken, "2.75");
        var badDescription = await api.PutAsync($"servers/{server.Id}", new JsonObject { ["server"] = new JsonObject { ["description"] = "d" } }, FakeTokenValidator.DemoToken, "2.18");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("new", response.Object["server"]!["name"]!.GetValue<string>());
        Assert.False(response.Object["server"]!.AsObject().ContainsKey("OS-EXT-STS:vm_state"));
        Assert.Equal("d", full.Object["server"]!["description"]!.GetValue<string>());
        Assert.True(full.Object["server"]!.AsObject().ContainsKey("OS-EXT-STS:vm_state"));
        Assert.Equal(HttpStatusCode.BadRequest, badDescription.Status);
        Assert.Equal("new", (await api.Instances.FindAsync(server.Id, false, TestContext.Current.CancellationToken))!.Name);
    }

    [Fact]
    public async Task Delete_Is204_MarksDeletingAndCallsTheConductorOnce()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var server = await api.AddServerAsync(FakeTokenValidator.DemoProject, "vm", userId: "demo-user");

        var first = await api.DeleteAsync($"servers/{server.Id}", FakeTokenValidator.DemoToken);
        var second = await api.DeleteAsync($"servers/{server.Id}", FakeTokenValidator.DemoToken);

        Assert.Equal(HttpStatusCode.NoContent, first.Status);
        Assert.Equal(HttpStatusCode.NoContent, second.Status);
        Assert.Equal(TaskStates.Deleting, (await api.Instances.FindAsync(server.Id, false, TestContext.Current.CancellationToken))!.TaskState);
        Assert.Equal(["delete"], api.Conductor.CallsFor(server.Id));
        Assert.Contains(await api.Instances.ListActionsAsync(server.Id, TestContext.Current.CancellationToken), a => a.Action == "delete");
        Assert.Equal(HttpStatusCode.NotFound, (await api.DeleteAsync($"servers/{Guid.NewGuid()}")).Status);
    }

    [Fact]
    public async Task Delete_LockedServer_Is409ForTheOwner()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var server = await api.AddServerAsync(FakeTokenValidator.DemoProject, "vm", userId: "demo-user", adjust: i => i with { Locked = true });

        var response = await api.DeleteAsync($"servers/{server.Id}", FakeTokenValidator.DemoToken);

        Assert.Equal(HttpStatusCode.Conflict, response.Status);
        Assert.Equal($"Instance {server.Id} is locked", response.Fault.Message);
    }

    [Fact]
    public async Task Show_ErrorServer_TenantSeesTheSafeSummaryAdminTheDetails()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var server = await api.AddServerAsync(FakeTokenValidator.DemoProject, "big", VmStates.Error, host: null, userId: "demo-user");
        await api.Instances.AddFaultAsync(server.Id, new InstanceFault(500, "No valid host was found: 1 host considered, none with 65536 MB of free RAM.",
            "Request: 65536 MB RAM, 1 vCPUs, 1 GB disk\ncompute1: RamFilter rejected it: 24064 MB free RAM < 65536 MB requested", DateTime.UtcNow, null), TestContext.Current.CancellationToken);

        var demo = (await api.GetAsync($"servers/{server.Id}", FakeTokenValidator.DemoToken)).Object["server"]!;
        var admin = (await api.GetAsync($"servers/{server.Id}")).Object["server"]!;
        var list = (await api.GetAsync("servers/detail", FakeTokenValidator.DemoToken)).Object["servers"]![0]!;

        Assert.Equal("No valid host was found: 1 host considered, none with 65536 MB of free RAM.", demo["fault"]!["message"]!.GetValue<string>());
        Assert.Null(demo["fault"]!["details"]);
        Assert.DoesNotContain("compute1", demo.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("compute1", list.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("compute1: RamFilter rejected it", admin["fault"]!["details"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
