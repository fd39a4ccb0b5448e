using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Conductor.Build;
using Stratus.Cloud.Tests.Fakes;
using Stratus.Testing;

namespace Stratus.Cloud.Tests.Conductor;

public sealed class RecoveryTests
{
    private readonly FakeConnector _connector = new();
    private readonly FakeImageCatalog _images = new();
    private readonly FakeNetworkAllocator _network = new();

    public RecoveryTests()
    {
        _images.Add("img", new byte[1 << 20]);
    }

    [Fact]
    public async Task Restart_StoppedDuringSpawn_BuildCleansUpAndFinishesActive()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var host = _connector.Add(new FakeXenHost("compute1"));
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Before = async (method, token) =>
        {
            if (method == "VBD.create")
            {
                held.TrySetResult();
                await release.Task.WaitAsync(token);
            }
        };
        Instance booted;
        await using (var first = await StartAsync(data, host, ct))
        {
            booted = await first.BootAsync("img", ct);
            await held.Task.WaitAsync(ct);
            Assert.Equal(TaskStates.Spawning, (await first.ReloadAsync(booted.Id, ct)).TaskState);
            await first.StopAsync();
        }

        host.Before = null;
        release.TrySetResult();
        await using var second = await StartAsync(data, host, ct);
        await second.IdleAsync();

        var server = await second.ReloadAsync(booted.Id, ct);
        Assert.Equal(("ACTIVE", (string?)null), (server.Status, server.TaskState));
        var vm = Assert.Single(host.GuestVms);
        Assert.Equal(server.XenVmUuid, vm["uuid"]);
        Assert.Single(host.All("VDI"), v => (string?)v["name_label"] == server.InstanceName + " root");
        var action = Assert.Single(await second.Instances.ListActionsAsync(booted.Id, ct));
        Assert.All(action.Events, e => Assert.NotNull(e.FinishTime));
        Assert.Contains(action.Events, e => e.Event == BuildWorkflow.BuildEvent && e.Result == "Error" && e.Details!.Contains("controller restart", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Restart_StoppedAfterStartBeforeActive_AdoptsTheRunningVm()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var host = _connector.Add(new FakeXenHost("compute1"));
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Before = async (method, token) =>
        {
            // VM.get_uuid comes right after VM.start_on: the VM runs, the controller has not recorded it yet.
            if (method == "VM.get_uuid")
            {
                held.TrySetResult();
                await release.Task.WaitAsync(token);
            }
        };
        Instance booted;
        await using (var first = await StartAsync(data, host, ct))
        {
            booted = await first.BootAsync("img", ct);
            await held.Task.WaitAsync(ct);
            await first.StopAsync();
        }

        host.Before = null;
        release.TrySetResult();
        await using var second = await StartAsync(data, host, ct);
        await second.IdleAsync();

        var server = await second.ReloadAsync(booted.Id, ct);
        Assert.Equal("ACTIVE", server.Status);
        var vm = Assert.Single(host.GuestVms);
        Assert.Equal(server.XenVmUuid, vm["uuid"]);
        Assert.Equal(1, host.Calls.Count(c => c.Method == "VM.start_on"));
    }

    [Fact]
    public async Task Restart_ServerBuildingWithNoWork_GetsBuilt()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var host = _connector.Add(new FakeXenHost("compute1"));
        Guid id;
        await using (var first = await StartAsync(data, host, ct))
        {
            // The API stored the server, then the controller died before it called the conductor.
            id = Guid.NewGuid();
            await first.Instances.CreateAsync(new Instance { Id = id, Name = "orphan", ProjectId = "p", UserId = "u", ImageId = "img", Flavor = ConductorHarness.Small },
                new InstanceAction(id, "create", "req-orphan", "u", "p", DateTime.UtcNow, null, null, []), ct);
            await first.StopAsync();
        }

        await using var second = await StartAsync(data, host, ct);
        await second.IdleAsync();

        Assert.Equal("ACTIVE", (await second.ReloadAsync(id, ct)).Status);
        Assert.Contains(host.Calls, c => c.Method == "VM.start_on" && c.RequestId == "req-orphan");
    }

    [Fact]
    public async Task Restart_HostGoneMeanwhile_BuildMovesOnAndLaterCleansUp()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var first1 = _connector.Add(new FakeXenHost("first", memoryBytes: 128L << 30));
        var second1 = _connector.Add(new FakeXenHost("second"));
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first1.Before = async (method, token) =>
        {
            if (method == "VIF.create")
            {
                held.TrySetResult();
                await Task.Delay(Timeout.Infinite, token);
            }
        };
        Instance booted;
        await using (var cloud = await ConductorHarness.StartAsync(data.Path, _connector, _images, _network, [first1, second1], ct))
        {
            await cloud.WaitForHostsAsync(2, ct);
            booted = await cloud.BootAsync("img", ct);
            await held.Task.WaitAsync(ct);
            await cloud.StopAsync();
        }

        first1.Before = null;
        first1.Unreachable = true;
        await using var restarted = await ConductorHarness.StartAsync(data.Path, _connector, _images, _network, [first1, second1], ct);
        while ((await restarted.ReloadAsync(booted.Id, ct)).Status == "BUILD")
        {
            await Task.Delay(20, ct);
        }

        Assert.Equal(("ACTIVE", "second"), ((await restarted.ReloadAsync(booted.Id, ct)).Status, (await restarted.ReloadAsync(booted.Id, ct)).Host));
        Assert.Single(first1.GuestVms);
        first1.Unreachable = false;
        await restarted.IdleAsync();
        Assert.Empty(first1.GuestVms);
    }

    private async Task<ConductorHarness> StartAsync(TempDirectory data, FakeXenHost host, CancellationToken ct)
    {
        var cloud = await ConductorHarness.StartAsync(data.Path, _connector, _images, _network, [host], ct);
        await cloud.WaitForHostsAsync(1, ct);
        return cloud;
    }
}
