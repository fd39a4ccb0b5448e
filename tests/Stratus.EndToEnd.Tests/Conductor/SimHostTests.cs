using Stratus.Cloud.Compute.Instances;
using Stratus.Testing;
using Stratus.XenApi;
using Stratus.XenApi.Client;

namespace Stratus.EndToEnd.Tests.Conductor;

/// <summary>The conductor against real sim host agent processes, through the XenAPI and its HTTP handlers only.</summary>
public sealed class SimHostTests
{
    [Fact]
    public async Task Boot_SimAgent_ActiveWithTheVmRunningThere()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var agent = await HostAgentProcess.StartAsync(data.Combine("agent"), ct, "sim", "--name", "e2e-compute1");
        await using var cloud = await InProcessConductor.StartAsync(data.Combine("cloud"), [agent.Url], ct);
        await cloud.WaitForHostsAsync(1, ct);

        var booted = await cloud.BootAsync(ct, name: "web1");
        var server = await cloud.WaitAsync(booted.Id, i => i.VmState != VmStates.Building, ct);

        Assert.Equal(("ACTIVE", "e2e-compute1", PowerStates.Running), (server.Status, server.Host, server.PowerState));
        using var client = new XenApiClient(agent.Url);
        await using var session = await XenSession.LoginAsync(client, "root", HostAgentProcess.Password, ct);
        var vms = await session.GetAllRecordsAsync("VM", ct);
        var vm = Assert.Single(vms.Values, v => v["other_config"] is IReadOnlyDictionary<string, object?> oc && oc.ContainsKey("nova_uuid"));
        Assert.Equal((server.XenVmUuid, "Running", server.InstanceName), ((string?)vm["uuid"], (string?)vm["power_state"], (string?)vm["name_label"]));
        Assert.Equal(3, ((IReadOnlyList<object?>)vm["VBDs"]!).Count + ((IReadOnlyList<object?>)vm["VIFs"]!).Count);
        var log = await cloud.Conductor.ConsoleOutputAsync(server.Id, null, ct);
        Assert.Contains($"{server.InstanceName} is up", log, StringComparison.Ordinal);
        Assert.Contains(server.XenVmUuid!, agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Boot_RequestId_AppearsInTheHostAgentsLog()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var agent = await HostAgentProcess.StartAsync(data.Combine("agent"), ct, "sim", "--name", "e2e-reqid");
        await using var cloud = await InProcessConductor.StartAsync(data.Combine("cloud"), [agent.Url], ct);
        await cloud.WaitForHostsAsync(1, ct);

        var booted = await cloud.BootAsync(ct);
        await cloud.WaitAsync(booted.Id, i => i.VmState != VmStates.Building, ct);
        var requestId = (await cloud.Instances.ListActionsAsync(booted.Id, ct)).Single().RequestId;

        Assert.Contains(requestId, agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostKilled_GoesDownAndGetsNoNewServers()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var big = await HostAgentProcess.StartAsync(data.Combine("big"), ct, "sim", "--name", "e2e-big", "--memory", "256GiB");
        await using var small = await HostAgentProcess.StartAsync(data.Combine("small"), ct, "sim", "--name", "e2e-small", "--memory", "32GiB");
        await using var cloud = await InProcessConductor.StartAsync(data.Combine("cloud"), [big.Url, small.Url], ct);
        await cloud.WaitForHostsAsync(2, ct);
        var first = await cloud.BootAsync(ct);
        Assert.Equal("e2e-big", (await cloud.WaitAsync(first.Id, i => i.VmState != VmStates.Building, ct)).Host);

        await big.KillAsync();
        while (cloud.Placement.States().Single(s => s.Host == "e2e-big").Up)
        {
            await Task.Delay(100, ct);
        }

        var second = await cloud.BootAsync(ct);
        var placed = await cloud.WaitAsync(second.Id, i => i.VmState != VmStates.Building, ct);

        Assert.Equal(("ACTIVE", "e2e-small"), (placed.Status, placed.Host));
        Assert.NotNull(cloud.Registry.Find("e2e-big")!.LastError);
        Assert.Single((await cloud.Instances.ListActionsAsync(second.Id, ct)).Single().Events, e => e.Event == "compute__do_build_and_run_instance");
    }

    [Fact]
    public async Task HostRefusesTheVm_ReschedulesToAnother()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        // The big host wins the RAM weigher but has 2 physical CPUs: VM.start_on of a 4-vCPU server fails there
        // (HOST_NOT_ENOUGH_PCPUS), while the scheduler's vCPU ratio let it through.
        await using var narrow = await HostAgentProcess.StartAsync(data.Combine("narrow"), ct, "sim", "--name", "e2e-narrow", "--cpus", "2", "--memory", "256GiB");
        await using var wide = await HostAgentProcess.StartAsync(data.Combine("wide"), ct, "sim", "--name", "e2e-wide", "--cpus", "8", "--memory", "32GiB");
        await using var cloud = await InProcessConductor.StartAsync(data.Combine("cloud"), [narrow.Url, wide.Url], ct);
        await cloud.WaitForHostsAsync(2, ct);

        var booted = await cloud.BootAsync(ct, flavor: InProcessConductor.Small with { Vcpus = 4 });
        var server = await cloud.WaitAsync(booted.Id, i => i.VmState != VmStates.Building, ct);

        Assert.Equal(("ACTIVE", "e2e-wide"), (server.Status, server.Host));
        var attempts = (await cloud.Instances.ListActionsAsync(booted.Id, ct)).Single().Events.Where(e => e.Event == "compute__do_build_and_run_instance").ToList();
        Assert.Equal(["e2e-narrow", "e2e-wide"], attempts.Select(e => e.Host));
        Assert.Contains(XenErrors.HostNotEnoughPcpus, attempts[0].Details, StringComparison.Ordinal);
        using var client = new XenApiClient(narrow.Url);
        await using var session = await XenSession.LoginAsync(client, "root", HostAgentProcess.Password, ct);
        Assert.DoesNotContain((await session.GetAllRecordsAsync("VM", ct)).Values, v => (string?)v["name_label"] == server.InstanceName);
    }

    [Fact]
    public async Task EveryHostRefuses_ErrorWithTheAgentsErrorInTheFaultDetails()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var narrow = await HostAgentProcess.StartAsync(data.Combine("narrow"), ct, "sim", "--name", "e2e-only", "--cpus", "2");
        await using var cloud = await InProcessConductor.StartAsync(data.Combine("cloud"), [narrow.Url], ct);
        await cloud.WaitForHostsAsync(1, ct);

        var booted = await cloud.BootAsync(ct, flavor: InProcessConductor.Small with { Vcpus = 4 });
        var server = await cloud.WaitAsync(booted.Id, i => i.VmState != VmStates.Building, ct);

        Assert.Equal("ERROR", server.Status);
        var fault = await cloud.FaultAsync(booted.Id, ct);
        Assert.DoesNotContain("e2e-only", fault!.Message, StringComparison.Ordinal);
        Assert.Contains("e2e-only", fault.Details, StringComparison.Ordinal);
        Assert.Contains(XenErrors.HostNotEnoughPcpus, fault.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LvmSr_TheDefaultSr_ReceivesTheBuild()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var agent = await HostAgentProcess.StartAsync(data.Combine("agent"), ct, "sim", "--name", "e2e-lvm");
        using var client = new XenApiClient(agent.Url);
        await using var session = await XenSession.LoginAsync(client, "root", HostAgentProcess.Password, ct);
        var host = (await session.GetAllRecordsAsync("host", ct)).Keys.Single();
        var sr = (string)(await session.CallAsync("SR.create", ct, host, XenValue.Map(("device", "/dev/sdb")), 0L, "Local LVM", "", "lvm", "user", false, XenValue.EmptyMap))!;
        var pool = (await session.GetAllRecordsAsync("pool", ct)).Keys.Single();
        await session.CallAsync("pool.set_default_SR", ct, pool, sr);
        await using var cloud = await InProcessConductor.StartAsync(data.Combine("cloud"), [agent.Url], ct);
        await cloud.WaitForHostsAsync(1, ct);

        var booted = await cloud.BootAsync(ct);
        var server = await cloud.WaitAsync(booted.Id, i => i.VmState != VmStates.Building, ct);

        Assert.Equal("ACTIVE", server.Status);
        var vdis = (await session.GetAllRecordsAsync("VDI", ct)).Values.Where(v => ((string?)v["name_label"])!.StartsWith(server.InstanceName, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, vdis.Count);
        Assert.All(vdis, v => Assert.Equal(sr, v["SR"]));
    }

    [Fact]
    public async Task NoHostFits_FaultExplainsEachHostWithNumbers()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var a = await HostAgentProcess.StartAsync(data.Combine("a"), ct, "sim", "--name", "e2e-4g", "--memory", "4GiB");
        await using var b = await HostAgentProcess.StartAsync(data.Combine("b"), ct, "sim", "--name", "e2e-8g", "--memory", "8GiB");
        await using var cloud = await InProcessConductor.StartAsync(data.Combine("cloud"), [a.Url, b.Url], ct);
        await cloud.WaitForHostsAsync(2, ct);

        var booted = await cloud.BootAsync(ct, flavor: InProcessConductor.Small with { RamMb = 16384 });
        var server = await cloud.WaitAsync(booted.Id, i => i.VmState != VmStates.Building, ct);

        Assert.Equal("ERROR", server.Status);
        var fault = await cloud.FaultAsync(booted.Id, ct);
        Assert.Equal("No valid host was found: 2 hosts considered, none with 16384 MB of free RAM.", fault!.Message);
        Assert.Contains("e2e-4g: RamFilter rejected it: 3584 MB free RAM < 16384 MB requested", fault.Details, StringComparison.Ordinal);
        Assert.Contains("e2e-8g: RamFilter rejected it: 7680 MB free RAM < 16384 MB requested", fault.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConductorStoppedDuringStart_RestartAdoptsTheVmTheHostFinishedStarting()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        // A slow start: the conductor stops while VM.start_on is on the wire; the host finishes it regardless.
        await using var agent = await HostAgentProcess.StartAsync(data.Combine("agent"), ct, "sim", "--name", "e2e-slow", "--sim-start-delay", "3s");
        Instance booted;
        await using (var first = await InProcessConductor.StartAsync(data.Combine("cloud"), [agent.Url], ct))
        {
            await first.WaitForHostsAsync(1, ct);
            booted = await first.BootAsync(ct);
            await first.WaitAsync(booted.Id, i => i.TaskState == TaskStates.Spawning, ct);
            using var watcher = new XenApiClient(agent.Url);
            await using var watch = await XenSession.LoginAsync(watcher, "root", HostAgentProcess.Password, ct);
            while (!(await watch.GetAllRecordsAsync("VM", ct)).Values.Any(v => (string?)v["name_label"] == booted.InstanceName && !XenRef.IsNull((string?)v["scheduled_to_be_resident_on"])))
            {
                await Task.Delay(20, ct);
            }

            await first.StopAsync();
        }

        await using var second = await InProcessConductor.StartAsync(data.Combine("cloud"), [agent.Url], ct);
        var server = await second.WaitAsync(booted.Id, i => i.VmState != VmStates.Building, ct);

        Assert.Equal("ACTIVE", server.Status);
        using var client = new XenApiClient(agent.Url);
        await using var session = await XenSession.LoginAsync(client, "root", HostAgentProcess.Password, ct);
        Assert.Single((await session.GetAllRecordsAsync("VM", ct)).Values, v => (string?)v["name_label"] == server.InstanceName);
    }
}
