using System.Net;
using System.Text.Json.Nodes;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Compute.Servers;
using Stratus.Cloud.Tests.Compute.Support;

namespace Stratus.Cloud.Tests.Compute;

public sealed class ServerActionTests
{
    private static Task<ApiResponse> ActAsync(ComputeApiHost api, Instance server, JsonObject body, string token = FakeTokenValidator.DemoToken, string? version = null) =>
        api.PostAsync($"servers/{server.Id}/action", body, token, version);

    private static Task<Instance> DemoServerAsync(ComputeApiHost api, string vmState = VmStates.Active, string? host = "compute1") =>
        api.AddServerAsync(FakeTokenValidator.DemoProject, "vm", vmState, host, "demo-user");

    [Fact]
    public async Task Stop_Active_Is202SetsPoweringOffAndRecordsTheAction()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var server = await DemoServerAsync(api);

        var response = await ActAsync(api, server, new JsonObject { ["os-stop"] = null });

        Assert.Equal(HttpStatusCode.Accepted, response.Status);
        var stored = (await api.Instances.FindAsync(server.Id, false, TestContext.Current.CancellationToken))!;
        Assert.Equal(TaskStates.PoweringOff, stored.TaskState);
        Assert.Equal("ACTIVE", stored.Status);
        Assert.Equal(["stop"], api.Conductor.CallsFor(server.Id));
        Assert.Contains(await api.Instances.ListActionsAsync(server.Id, TestContext.Current.CancellationToken), a => a.Action == "stop");
    }

    [Fact]
    public async Task Stop_Stopped_Is409WithNovasMessage()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var server = await DemoServerAsync(api, VmStates.Stopped);

        var stop = await ActAsync(api, server, new JsonObject { ["os-stop"] = null });
        var start = await ActAsync(api, server, new JsonObject { ["os-start"] = null });

        Assert.Equal(HttpStatusCode.Conflict, stop.Status);
        Assert.Equal($"Cannot 'stop' instance {server.Id} while it is in vm_state stopped", stop.Fault.Message);
        Assert.Equal(HttpStatusCode.Accepted, start.Status);
        Assert.Equal(["start"], api.Conductor.CallsFor(server.Id));
    }

    [Fact]
    public async Task Start_WhileTaskRuns_Is409OnTaskState()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var server = await api.AddServerAsync(FakeTokenValidator.DemoProject, "vm", VmStates.Stopped, userId: "demo-user", adjust: i => i with { TaskState = TaskStates.PoweringOn });

        var response = await ActAsync(api, server, new JsonObject { ["os-start"] = null });

        Assert.Equal($"Cannot 'start' instance {server.Id} while it is in task_state powering-on", response.Fault.Message);
    }

    [Fact]
    public async Task Reboot_SoftOnStopped_Is409_HardIsAccepted()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var server = await DemoServerAsync(api, VmStates.Stopped);

        var soft = await ActAsync(api, server, new JsonObject { ["reboot"] = new JsonObject { ["type"] = "SOFT" } });
        var hard = await ActAsync(api, server, new JsonObject { ["reboot"] = new JsonObject { ["type"] = "hard" } });
        var bad = await ActAsync(api, server, new JsonObject { ["reboot"] = new JsonObject { ["type"] = "GENTLE" } });

        Assert.Equal(HttpStatusCode.Conflict, soft.Status);
        Assert.Equal(HttpStatusCode.Accepted, hard.Status);
        Assert.Equal(TaskStates.RebootingHard, (await api.Instances.FindAsync(server.Id, false, TestContext.Current.CancellationToken))!.TaskState);
        Assert.Equal(["reboot-hard"], api.Conductor.CallsFor(server.Id));
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
    }

    [Fact]
    public async Task Reboot_SoftOnActive_ShowsRebootStatus()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var server = await DemoServerAsync(api);

        await ActAsync(api, server, new JsonObject { ["reboot"] = new JsonObject { ["type"] = "SOFT" } });

        var shown = (await api.GetAsync($"servers/{server.Id}", FakeTokenValidator.DemoToken)).Object["server"]!;
        Assert.Equal("REBOOT", shown["status"]!.GetValue<string>());
        Assert.Equal("rebooting", shown["OS-EXT-STS:task_state"]!.GetValue<string>());
    }

    [Fact]
    public async Task ConsoleOutput_LengthGivesTheLastLines_NullGivesAll()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var server = await DemoServerAsync(api);
        api.Conductor.ConsoleLog = "boot\u0007ing\nline 2\nline 3\nline 4\nlogin:";

        var three = await ActAsync(api, server, new JsonObject { ["os-getConsoleOutput"] = new JsonObject { ["length"] = 3 } });
        var all = await ActAsync(api, server, new JsonObject { ["os-getConsoleOutput"] = new JsonObject { ["length"] = null } });
        var sdk = await ActAsync(api, server, new JsonObject { ["os-getConsoleOutput"] = new JsonObject() });
        var text = await ActAsync(api, server, new JsonObject { ["os-getConsoleOutput"] = new JsonObject { ["length"] = "2" } });
        var bad = await ActAsync(api, server, new JsonObject { ["os-getConsoleOutput"] = new JsonObject { ["length"] = -2 } });

        Assert.Equal(HttpStatusCode.OK, three.Status);
        Assert.Equal("line 3\nline 4\nlogin:", three.Object["output"]!.GetValue<string>());
        Assert.Equal(3, three.Object["output"]!.GetValue<string>().Split('\n').Length);
        Assert.Equal("booting\nline 2\nline 3\nline 4\nlogin:", all.Object["output"]!.GetValue<string>());
        Assert.Equal(all.Object["output"]!.GetValue<string>(), sdk.Object["output"]!.GetValue<string>());
        Assert.Equal("line 4\nlogin:", text.Object["output"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
    }

    [Fact]
    public async Task ConsoleOutput_NotYetPlaced_Is409()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var server = await DemoServerAsync(api, VmStates.Building, host: null);

        var response = await ActAsync(api, server, new JsonObject { ["os-getConsoleOutput"] = new JsonObject() });

        Assert.Equal(HttpStatusCode.Conflict, response.Status);
    }

    [Fact]
    public async Task Lock_ThenStopByOwner_Is409_AdminMayStillAct()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var server = await DemoServerAsync(api);

        var locked = await ActAsync(api, server, new JsonObject { ["lock"] = new JsonObject { ["locked_reason"] = "maintenance" } }, version: "2.73");
        var stop = await ActAsync(api, server, new JsonObject { ["os-stop"] = null });
        var shown = (await api.GetAsync($"servers/{server.Id}", FakeTokenValidator.DemoToken, "2.73")).Object["server"]!;
        var adminStop = await ActAsync(api, server, new JsonObject { ["os-stop"] = null }, FakeTokenValidator.AdminToken);
        var unlock = await ActAsync(api, server, new JsonObject { ["unlock"] = null });

        Assert.Equal(HttpStatusCode.Accepted, locked.Status);
        Assert.Equal(HttpStatusCode.Conflict, stop.Status);
        Assert.True(shown["locked"]!.GetValue<bool>());
        Assert.Equal("maintenance", shown["locked_reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, adminStop.Status);
        Assert.Equal(HttpStatusCode.Accepted, unlock.Status);
        Assert.False((await api.Instances.FindAsync(server.Id, false, TestContext.Current.CancellationToken))!.Locked);
    }

    [Theory]
    [InlineData("{\"os-stop\": null, \"os-start\": null}", HttpStatusCode.BadRequest)]
    [InlineData("{\"fly\": null}", HttpStatusCode.BadRequest)]
    [InlineData("{\"rebuild\": {\"imageRef\": \"x\"}}", HttpStatusCode.NotImplemented)]
    public async Task Action_UnknownOrMalformed_IsAClearError(string body, HttpStatusCode status)
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var server = await DemoServerAsync(api);

        var response = await api.PostAsync($"servers/{server.Id}/action", body, FakeTokenValidator.DemoToken);

        Assert.Equal(status, response.Status);
    }

    [Fact]
    public async Task Restore_Is409_ForceDeleteDeletes()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var server = await DemoServerAsync(api);

        var restore = await ActAsync(api, server, new JsonObject { ["restore"] = null });
        var force = await ActAsync(api, server, new JsonObject { ["forceDelete"] = null });

        Assert.Equal(HttpStatusCode.Conflict, restore.Status);
        Assert.Equal(HttpStatusCode.Accepted, force.Status);
        Assert.Equal(["delete"], api.Conductor.CallsFor(server.Id));
    }

    [Fact]
    public void Tail_FollowsNovasTailLog()
    {
        Assert.Equal("", ServerActionEndpoints.Tail("a\nb", 0));
        Assert.Equal("b", ServerActionEndpoints.Tail("a\nb", 1));
        Assert.Equal("a\nb", ServerActionEndpoints.Tail("a\nb", 5));
        Assert.Equal("b\n", ServerActionEndpoints.Tail("a\nb\n", 2));
    }

    [Fact]
    public async Task Metadata_SetUpdateDeleteAndQuota()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var server = await DemoServerAsync(api);
        var path = $"servers/{server.Id}/metadata";

        var merged = await api.PostAsync(path, new JsonObject { ["metadata"] = new JsonObject { ["a"] = "1", ["b"] = "2" } }, FakeTokenValidator.DemoToken);
        var item = await api.PutAsync($"{path}/a", new JsonObject { ["meta"] = new JsonObject { ["a"] = "9" } }, FakeTokenValidator.DemoToken);
        var mismatch = await api.PutAsync($"{path}/a", new JsonObject { ["meta"] = new JsonObject { ["c"] = "9" } }, FakeTokenValidator.DemoToken);
        var deleted = await api.DeleteAsync($"{path}/b", FakeTokenValidator.DemoToken);
        var missing = await api.GetAsync($"{path}/b", FakeTokenValidator.DemoToken);
        var replaced = await api.PutAsync(path, new JsonObject { ["metadata"] = new JsonObject { ["z"] = "0" } }, FakeTokenValidator.DemoToken);

        Assert.Equal("2", merged.Object["metadata"]!["b"]!.GetValue<string>());
        Assert.Equal("9", item.Object["meta"]!["a"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.Status);
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal(["z"], replaced.Object["metadata"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Ips_OnlyVersionAndAddr()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var server = await DemoServerAsync(api);
        api.Network.Attach(server.Id, "10.0.0.7", "172.24.4.1");

        var all = await api.GetAsync($"servers/{server.Id}/ips", FakeTokenValidator.DemoToken);
        var one = await api.GetAsync($"servers/{server.Id}/ips/private", FakeTokenValidator.DemoToken);
        var none = await api.GetAsync($"servers/{server.Id}/ips/public", FakeTokenValidator.DemoToken);

        var addresses = all.Object["addresses"]!["private"]!.AsArray();
        Assert.Equal(["10.0.0.7", "172.24.4.1"], addresses.Select(a => a!["addr"]!.GetValue<string>()));
        Assert.All(addresses, a => Assert.Equal(["addr", "version"], a!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)));
        Assert.Equal(2, one.Object["private"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.NotFound, none.Status);
    }

    [Fact]
    public async Task InstanceActions_EventTracebackForAdminsOnly()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var server = await api.AddServerAsync(FakeTokenValidator.DemoProject, "big", VmStates.Error, null, "demo-user");
        var action = (await api.Instances.ListActionsAsync(server.Id, TestContext.Current.CancellationToken)).Single();
        var now = DateTime.UtcNow;
        await api.Instances.StartEventAsync(server.Id, action.RequestId, "conductor_schedule_and_build_instances", now, "controller", TestContext.Current.CancellationToken);
        await api.Instances.FinishEventAsync(server.Id, action.RequestId, "conductor_schedule_and_build_instances", now, "Error", "compute1: RamFilter rejected it: 512 MB free RAM < 4096 MB requested", TestContext.Current.CancellationToken);

        var list = await api.GetAsync($"servers/{server.Id}/os-instance-actions", FakeTokenValidator.DemoToken);
        var admin = await api.GetAsync($"servers/{server.Id}/os-instance-actions/{action.RequestId}", version: "2.62");
        var demo = await api.GetAsync($"servers/{server.Id}/os-instance-actions/{action.RequestId}", FakeTokenValidator.DemoToken, "2.51");
        var demoOld = await api.GetAsync($"servers/{server.Id}/os-instance-actions/{action.RequestId}", FakeTokenValidator.DemoToken);

        Assert.Equal("create", list.Object["instanceActions"]![0]!["action"]!.GetValue<string>());
        var adminEvent = admin.Object["instanceAction"]!["events"]![0]!;
        Assert.Contains("RamFilter", adminEvent["traceback"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("controller", adminEvent["host"]!.GetValue<string>());
        var demoEvent = demo.Object["instanceAction"]!["events"]![0]!.AsObject();
        Assert.False(demoEvent.ContainsKey("traceback"));
        Assert.Equal("Error", demoEvent["result"]!.GetValue<string>());
        Assert.False(demoOld.Object["instanceAction"]!.AsObject().ContainsKey("events"));
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"servers/{server.Id}/os-instance-actions/req-nope")).Status);
    }
}
