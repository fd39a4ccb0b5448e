using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Conductor.Build;
using Stratus.Cloud.Tests.Fakes;
using Stratus.Testing;
using Stratus.XenApi;

namespace Stratus.Cloud.Tests.Conductor;

public sealed class BuildTests
{
    private readonly FakeConnector _connector = new();
    private readonly FakeImageCatalog _images = new();
    private readonly FakeNetworkAllocator _network = new();

    public BuildTests()
    {
        _images.Add("img-1", new byte[3 << 20]);
    }

    [Fact]
    public async Task Build_HealthyHost_ActiveWithVmDisksConfigDriveAndVif()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var host = _connector.Add(new FakeXenHost("compute1"));
        await using var cloud = await StartAsync(data, [host], ct);

        var booted = await cloud.BootAsync("img-1", ct, name: "web1", requestId: "req-11111111-2222-3333-4444-555555555555");
        await cloud.IdleAsync();

        var server = await cloud.ReloadAsync(booted.Id, ct);
        Assert.Equal((VmStates.Active, (string?)null, PowerStates.Running, 100), (server.VmState, server.TaskState, server.PowerState, server.Progress));
        Assert.Equal("compute1", server.Host);
        Assert.Equal("compute1.example", server.Node);
        Assert.NotNull(server.LaunchedAt);
        var vm = Assert.Single(host.GuestVms);
        Assert.Equal(server.XenVmUuid, vm["uuid"]);
        Assert.Equal(server.InstanceName, vm["name_label"]);
        Assert.Equal("Running", vm["power_state"]);
        Assert.Equal(2048L << 20, Convert.ToInt64(vm["memory_static_max"], System.Globalization.CultureInfo.InvariantCulture));
        var vbds = host.All("VBD");
        Assert.Contains(vbds, v => (string?)v["userdevice"] == "0" && v["bootable"] is true);
        Assert.Contains(vbds, v => (string?)v["userdevice"] == "3" && (string?)v["mode"] == "RO");
        var vif = Assert.Single(host.All("VIF"));
        Assert.Equal(_network.Ports[booted.Id][0].MacAddress, vif["MAC"]);
        Assert.Contains(host.All("network"), n => (string?)n["name_label"] == "net-" + FakeNetworkAllocator.NetworkId);
        Assert.Equal("compute1", _network.Bound[booted.Id]);
        var root = Assert.Single(host.All("VDI"), v => (string?)v["name_label"] == server.InstanceName + " root");
        Assert.Equal(20L << 30, Convert.ToInt64(root["virtual_size"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Build_RequestId_ReachesEveryHostCallAndTheActionEvents()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var host = _connector.Add(new FakeXenHost("compute1"));
        await using var cloud = await StartAsync(data, [host], ct);
        const string requestId = "req-0b8f4e6a-3c1d-4f2e-9a7b-123456789abc";

        var booted = await cloud.BootAsync("img-1", ct, requestId: requestId);
        await cloud.IdleAsync();

        var buildCalls = host.Calls.Where(c => c.Method is "VM.create" or "VM.start_on" or "VDI.clone" or "PUT /import_raw_vdi").ToList();
        Assert.NotEmpty(buildCalls);
        Assert.All(buildCalls, c => Assert.Equal(requestId, c.RequestId));
        var action = Assert.Single(await cloud.Instances.ListActionsAsync(booted.Id, ct));
        Assert.Equal(requestId, action.RequestId);
        Assert.NotNull(action.FinishTime);
        Assert.Null(action.Message);
        Assert.Contains(action.Events, e => e.Event == BuildWorkflow.ScheduleEvent && e.Result == "Success");
        var build = Assert.Single(action.Events, e => e.Event == BuildWorkflow.BuildEvent);
        Assert.Equal(("Success", "compute1"), (build.Result, build.Host));
        Assert.Contains("started", build.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_TwoServersOneHost_ImageImportedOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var host = _connector.Add(new FakeXenHost("compute1"));
        await using var cloud = await StartAsync(data, [host], ct);

        await cloud.BootAsync("img-1", ct);
        await cloud.BootAsync("img-1", ct);
        await cloud.IdleAsync();

        Assert.Equal(1, _images.Reads["img-1"]);
        var cached = Assert.Single(host.All("VDI"), v => (string?)v["name_label"] == ImageCache.VdiName("img-1"));
        Assert.Equal("ready", ((IReadOnlyDictionary<string, object?>)cached["other_config"]!)[ImageCache.StateKey]);
        Assert.Equal(3L << 20, host.Imported.Values.Max());
        Assert.Equal(2, host.GuestVms.Count);
    }

    [Fact]
    public async Task Build_StartFailsOnFirstHost_ReschedulesAndCleansUpThere()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        // The bigger host wins the RAM weigher first, then refuses to start the VM.
        var flaky = _connector.Add(new FakeXenHost("flaky", memoryBytes: 128L << 30));
        var good = _connector.Add(new FakeXenHost("good", memoryBytes: 32L << 30));
        flaky.Fail = (method, _) => method == "VM.start_on" ? new XenApiFailure("VM_START_FAILED", "OpaqueRef:x", "qemu-system-x86_64: failed to open /dev/kvm") : null;
        await using var cloud = await StartAsync(data, [flaky, good], ct);

        var booted = await cloud.BootAsync("img-1", ct);
        await cloud.IdleAsync();

        var server = await cloud.ReloadAsync(booted.Id, ct);
        Assert.Equal((VmStates.Active, "good"), (server.VmState, server.Host));
        Assert.Empty(flaky.GuestVms);
        Assert.DoesNotContain(flaky.All("VDI"), v => ((string?)v["name_label"])!.StartsWith(server.InstanceName, StringComparison.Ordinal));
        Assert.Single(flaky.All("VDI"), v => (string?)v["name_label"] == ImageCache.VdiName("img-1"));
        var action = Assert.Single(await cloud.Instances.ListActionsAsync(booted.Id, ct));
        Assert.Equal("Error", action.Message);
        var attempts = action.Events.Where(e => e.Event == BuildWorkflow.BuildEvent).ToList();
        Assert.Equal([("flaky", "Error"), ("good", "Success")], attempts.Select(e => (e.Host!, e.Result!)));
        Assert.Contains("failed to open /dev/kvm", attempts[0].Details, StringComparison.Ordinal);
        Assert.Equal(0, cloud.Placement.States().Single(s => s.Host == "flaky").RunningVms);
    }

    [Fact]
    public async Task Build_EveryHostFails_ErrorWithSafeMessageAndHostErrorsInDetails()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var hosts = new[] { _connector.Add(new FakeXenHost("c1")), _connector.Add(new FakeXenHost("c2")), _connector.Add(new FakeXenHost("c3")), _connector.Add(new FakeXenHost("c4")) };
        foreach (var host in hosts)
        {
            host.Fail = (method, _) => method == "VM.start_on" ? new XenApiFailure("VM_START_FAILED", "OpaqueRef:x", $"qemu on {host.Name}: could not allocate guest RAM") : null;
        }

        await using var cloud = await StartAsync(data, hosts, ct, o => o.MaxBuildAttempts = 3);

        var booted = await cloud.BootAsync("img-1", ct);
        await cloud.IdleAsync();

        var server = await cloud.ReloadAsync(booted.Id, ct);
        Assert.Equal((VmStates.Error, (string?)null, (string?)null), (server.VmState, server.TaskState, server.Host));
        var fault = (await cloud.Instances.LatestFaultsAsync([booted.Id], ct))[booted.Id];
        Assert.Equal(500, fault.Code);
        Assert.StartsWith("Exceeded maximum number of retries.", fault.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c1", fault.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("qemu", fault.Message, StringComparison.Ordinal);
        Assert.Equal(3, fault.Details.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("could not allocate guest RAM", fault.Details, StringComparison.Ordinal);
        Assert.Equal(3, hosts.Count(h => h.Calls.Any(c => c.Method == "VM.start_on")));
        Assert.All(hosts, h => Assert.Empty(h.GuestVms));
        Assert.All(cloud.Placement.States(), s => Assert.Equal(0, s.RunningVms));
    }

    [Fact]
    public async Task Build_NoHostHasTheRam_NoValidHostFaultExplainsEveryHost()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var hosts = new[] { _connector.Add(new FakeXenHost("small1", memoryBytes: 2L << 30)), _connector.Add(new FakeXenHost("small2", memoryBytes: 1L << 30)) };
        await using var cloud = await StartAsync(data, hosts, ct);
        var big = ConductorHarness.Small with { RamMb = 16384 };

        var booted = await cloud.BootAsync("img-1", ct, flavor: big);
        await cloud.IdleAsync();

        var server = await cloud.ReloadAsync(booted.Id, ct);
        Assert.Equal(VmStates.Error, server.VmState);
        var fault = (await cloud.Instances.LatestFaultsAsync([booted.Id], ct))[booted.Id];
        Assert.Equal("No valid host was found: 2 hosts considered, none with 16384 MB of free RAM.", fault.Message);
        Assert.Contains("small1: RamFilter rejected it: 1536 MB free RAM < 16384 MB requested (2048 MB × 1 ratio, 512 MB used)", fault.Details, StringComparison.Ordinal);
        Assert.Contains("small2: RamFilter rejected it:", fault.Details, StringComparison.Ordinal);
        var action = Assert.Single(await cloud.Instances.ListActionsAsync(booted.Id, ct));
        var schedule = Assert.Single(action.Events, e => e.Event == BuildWorkflow.ScheduleEvent);
        Assert.Equal("Error", schedule.Result);
        Assert.Contains("small1: RamFilter rejected it", schedule.Details, StringComparison.Ordinal);
        Assert.Empty(hosts.SelectMany(h => h.GuestVms));
    }

    [Fact]
    public async Task Build_ImageNotActive_ErrorWithoutTouchingHosts()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        _images.Add("queued", [], status: "queued");
        var host = _connector.Add(new FakeXenHost("compute1"));
        await using var cloud = await StartAsync(data, [host], ct);

        var booted = await cloud.BootAsync("queued", ct);
        await cloud.IdleAsync();

        Assert.Equal(VmStates.Error, (await cloud.ReloadAsync(booted.Id, ct)).VmState);
        Assert.Contains("could not be found or is not active", (await cloud.Instances.LatestFaultsAsync([booted.Id], ct))[booted.Id].Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Calls, c => c.Method == "VM.create");
    }

    [Fact]
    public async Task Build_ImportFails_ReschedulesWithTheHostsError()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var broken = _connector.Add(new FakeXenHost("broken", memoryBytes: 128L << 30));
        var good = _connector.Add(new FakeXenHost("good"));
        broken.Fail = (method, _) => method == "import_raw_vdi" ? new XenApiFailure("SR_BACKEND_FAILURE_44", "", "There is insufficient space", "") : null;
        await using var cloud = await StartAsync(data, [broken, good], ct);

        var booted = await cloud.BootAsync("img-1", ct);
        await cloud.IdleAsync();

        Assert.Equal("good", (await cloud.ReloadAsync(booted.Id, ct)).Host);
        Assert.Empty(broken.All("VDI"));
        var failed = Assert.Single((await cloud.Instances.ListActionsAsync(booted.Id, ct))[0].Events, e => e.Result == "Error");
        Assert.Contains("SR_BACKEND_FAILURE_44", failed.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_LvmSrRequired_LandsOnTheLvmSr()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var extOnly = _connector.Add(new FakeXenHost("ext-only", memoryBytes: 128L << 30));
        var withLvm = _connector.Add(new FakeXenHost("with-lvm"));
        var lvm = withLvm.AddSr("Local LVM", "lvm", 1L << 40);
        await using var cloud = await StartAsync(data, [extOnly, withLvm], ct);
        var flavor = ConductorHarness.Small with { ExtraSpecs = new Dictionary<string, string> { ["stratus:sr_type"] = "lvm" } };

        var booted = await cloud.BootAsync("img-1", ct, flavor: flavor);
        await cloud.IdleAsync();

        var server = await cloud.ReloadAsync(booted.Id, ct);
        Assert.Equal("with-lvm", server.Host);
        Assert.All(withLvm.All("VDI"), v => Assert.Equal(lvm, v["SR"]));
    }

    private async Task<ConductorHarness> StartAsync(TempDirectory data, IReadOnlyList<FakeXenHost> hosts, CancellationToken ct, Action<CloudOptions>? configure = null)
    {
        var cloud = await ConductorHarness.StartAsync(data.Path, _connector, _images, _network, hosts, ct, configure);
        await cloud.WaitForHostsAsync(hosts.Count, ct);
        return cloud;
    }
}
