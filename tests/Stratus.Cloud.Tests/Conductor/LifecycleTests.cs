using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Conductor.Operations;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.Tests.Fakes;
using Stratus.Testing;

namespace Stratus.Cloud.Tests.Conductor;

public sealed class LifecycleTests
{
    private readonly FakeConnector _connector = new();
    private readonly FakeImageCatalog _images = new();
    private readonly FakeNetworkAllocator _network = new();

    public LifecycleTests()
    {
        _images.Add("img-1", new byte[1 << 20]);
    }

    [Fact]
    public async Task StopStartReboot_ActiveServer_NovaStatesAndHostPowerStates()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var host = _connector.Add(new FakeXenHost("compute1"));
        await using var cloud = await StartAsync(data, host, ct);
        var server = await BootedAsync(cloud, ct);

        await cloud.Conductor.StopAsync(server.Id, await cloud.ActionAsync(server.Id, "stop", i => i with { TaskState = TaskStates.PoweringOff }, ct), ct);
        await cloud.IdleAsync();
        var stopped = await cloud.ReloadAsync(server.Id, ct);
        Assert.Equal(("SHUTOFF", (string?)null, PowerStates.Shutdown), (stopped.Status, stopped.TaskState, stopped.PowerState));
        Assert.Equal("Halted", Assert.Single(host.GuestVms)["power_state"]);

        await cloud.Conductor.StartAsync(server.Id, await cloud.ActionAsync(server.Id, "start", i => i with { TaskState = TaskStates.PoweringOn }, ct), ct);
        await cloud.IdleAsync();
        var started = await cloud.ReloadAsync(server.Id, ct);
        Assert.Equal(("ACTIVE", PowerStates.Running), (started.Status, started.PowerState));
        Assert.Equal("Running", Assert.Single(host.GuestVms)["power_state"]);

        var reboot = await cloud.ActionAsync(server.Id, "reboot", i => i with { TaskState = TaskStates.Rebooting }, ct);
        await cloud.Conductor.RebootAsync(server.Id, hard: false, reboot, ct);
        await cloud.IdleAsync();
        var rebooted = await cloud.ReloadAsync(server.Id, ct);
        Assert.Equal(("ACTIVE", (string?)null), (rebooted.Status, rebooted.TaskState));
        Assert.Contains(host.Calls, c => c.Method == "VM.clean_reboot" && c.RequestId == reboot);
        var events = (await cloud.Instances.ListActionsAsync(server.Id, ct)).Select(a => (a.Action, a.Events.Single().Event, a.Events.Single().Result)).Skip(1);
        Assert.Equal([("stop", PowerWorkflow.StopEvent, "Success"), ("start", PowerWorkflow.StartEvent, "Success"), ("reboot", PowerWorkflow.RebootEvent, "Success")], events);
    }

    [Fact]
    public async Task Reboot_Hard_FromStopped_StartsIt()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var host = _connector.Add(new FakeXenHost("compute1"));
        await using var cloud = await StartAsync(data, host, ct);
        var server = await BootedAsync(cloud, ct);
        await cloud.Conductor.StopAsync(server.Id, await cloud.ActionAsync(server.Id, "stop", null, ct), ct);
        await cloud.IdleAsync();

        await cloud.Conductor.RebootAsync(server.Id, hard: true, await cloud.ActionAsync(server.Id, "reboot", i => i with { TaskState = TaskStates.RebootingHard }, ct), ct);
        await cloud.IdleAsync();

        Assert.Equal(("ACTIVE", PowerStates.Running), ((await cloud.ReloadAsync(server.Id, ct)).Status, (await cloud.ReloadAsync(server.Id, ct)).PowerState));
        Assert.Equal("Running", Assert.Single(host.GuestVms)["power_state"]);
    }

    [Fact]
    public async Task Stop_HostDoesNotAnswer_StaysActiveWithFaultAndErrorEvent()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var host = _connector.Add(new FakeXenHost("compute1"));
        await using var cloud = await StartAsync(data, host, ct);
        var server = await BootedAsync(cloud, ct);
        host.Unreachable = true;

        await cloud.Conductor.StopAsync(server.Id, await cloud.ActionAsync(server.Id, "stop", i => i with { TaskState = TaskStates.PoweringOff }, ct), ct);
        await cloud.IdleAsync();

        var after = await cloud.ReloadAsync(server.Id, ct);
        Assert.Equal(("ACTIVE", (string?)null), (after.Status, after.TaskState));
        Assert.Contains("Connection refused", (await cloud.Instances.LatestFaultsAsync([server.Id], ct))[server.Id].Details, StringComparison.Ordinal);
        Assert.Equal("Error", (await cloud.Instances.ListActionsAsync(server.Id, ct))[^1].Events.Single().Result);
    }

    [Fact]
    public async Task Delete_ActiveServer_VmDisksPortsAndClaimGoCachedImageStays()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var host = _connector.Add(new FakeXenHost("compute1"));
        await using var cloud = await StartAsync(data, host, ct);
        var server = await BootedAsync(cloud, ct);

        await cloud.Conductor.DeleteAsync(server.Id, await cloud.ActionAsync(server.Id, "delete", i => i with { TaskState = TaskStates.Deleting }, ct), ct);
        await cloud.IdleAsync();

        var deleted = await cloud.ReloadAsync(server.Id, ct);
        Assert.Equal((true, VmStates.Deleted, (string?)null), (deleted.Deleted, deleted.VmState, deleted.TaskState));
        Assert.NotNull(deleted.TerminatedAt);
        Assert.Null(await cloud.Instances.FindAsync(server.Id, includeDeleted: false, ct));
        Assert.Empty(host.GuestVms);
        Assert.Empty(host.All("VBD"));
        Assert.Empty(host.All("VIF"));
        Assert.Single(host.All("VDI"));
        Assert.Contains(server.Id, _network.Released);
        Assert.Equal(0, cloud.Placement.States().Single().RunningVms);
    }

    [Fact]
    public async Task Delete_ServerInErrorWithoutHost_Deleted()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var host = _connector.Add(new FakeXenHost("compute1", memoryBytes: 1L << 30));
        await using var cloud = await StartAsync(data, host, ct);
        var server = await cloud.BootAsync("img-1", ct);
        await cloud.IdleAsync();
        Assert.Equal(VmStates.Error, (await cloud.ReloadAsync(server.Id, ct)).VmState);

        await cloud.Conductor.DeleteAsync(server.Id, await cloud.ActionAsync(server.Id, "delete", null, ct), ct);
        await cloud.IdleAsync();

        Assert.True((await cloud.ReloadAsync(server.Id, ct)).Deleted);
    }

    [Fact]
    public async Task Delete_HostDown_DeletedNowAndCleanedWhenTheHostIsBack()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var host = _connector.Add(new FakeXenHost("compute1"));
        await using var cloud = await StartAsync(data, host, ct);
        var server = await BootedAsync(cloud, ct);
        host.Unreachable = true;
        while (cloud.Registry.Find("compute1")!.LastError is null)
        {
            await Task.Delay(20, ct);
        }

        await cloud.Conductor.DeleteAsync(server.Id, await cloud.ActionAsync(server.Id, "delete", null, ct), ct);
        while (!(await cloud.ReloadAsync(server.Id, ct)).Deleted)
        {
            await Task.Delay(20, ct);
        }

        Assert.Single(host.GuestVms);
        host.Unreachable = false;
        await cloud.IdleAsync();

        Assert.Empty(host.GuestVms);
        Assert.DoesNotContain(host.All("VDI"), v => ((string)v["name_label"]!).StartsWith(server.InstanceName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GuestPowersOff_ServerTurnsShutoff()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var host = _connector.Add(new FakeXenHost("compute1"));
        await using var cloud = await StartAsync(data, host, ct);
        var server = await BootedAsync(cloud, ct);

        host.SetPowerState(server.XenVmUuid!, "Halted");
        while ((await cloud.ReloadAsync(server.Id, ct)).PowerState != PowerStates.Shutdown)
        {
            await Task.Delay(20, ct);
        }

        Assert.Equal("SHUTOFF", (await cloud.ReloadAsync(server.Id, ct)).Status);
    }

    [Fact]
    public async Task ConsoleOutput_ActiveServer_TheHostsLog()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var host = _connector.Add(new FakeXenHost("compute1"));
        await using var cloud = await StartAsync(data, host, ct);
        var server = await BootedAsync(cloud, ct);

        var log = await cloud.Conductor.ConsoleOutputAsync(server.Id, 10, ct);

        Assert.Equal($"console of {server.InstanceName}\nfake-guest ready\n", log);
        Assert.Contains(host.Calls, c => c.Method == "GET /console_log");
    }

    [Fact]
    public async Task ConsoleOutput_HostDown_Conflict()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var host = _connector.Add(new FakeXenHost("compute1"));
        await using var cloud = await StartAsync(data, host, ct);
        var server = await BootedAsync(cloud, ct);
        host.Unreachable = true;

        var error = await Assert.ThrowsAsync<ApiException>(() => cloud.Conductor.ConsoleOutputAsync(server.Id, null, ct));

        Assert.Equal(409, error.Status);
    }

    private async Task<ConductorHarness> StartAsync(TempDirectory data, FakeXenHost host, CancellationToken ct)
    {
        var cloud = await ConductorHarness.StartAsync(data.Path, _connector, _images, _network, [host], ct);
        await cloud.WaitForHostsAsync(1, ct);
        return cloud;
    }

    private static async Task<Instance> BootedAsync(ConductorHarness cloud, CancellationToken ct)
    {
        var booted = await cloud.BootAsync("img-1", ct);
        await cloud.IdleAsync();
        var server = await cloud.ReloadAsync(booted.Id, ct);
        Assert.Equal("ACTIVE", server.Status);
        return server;
    }
}
