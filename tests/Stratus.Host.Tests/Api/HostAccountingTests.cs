using System.Globalization;
using Stratus.XenApi;

namespace Stratus.Host.Tests.Api;

/// <summary>The host accounts its RAM and CPUs: VMs reserve static_max while they run or start (no overcommit).</summary>
public sealed class HostAccountingTests
{
    private const long GiB = 1L << 30;
    private const long Dom0 = 512L << 20;

    [Fact]
    public async Task Start_UntilFull_FailsWithNeededAndAvailableAndStopFreesMemory()
    {
        await using var host = await InProcessHost.StartAsync(o => o.SimMemoryBytes = (4 * GiB) + Dom0, TestContext.Current.CancellationToken);
        var hostRef = host.Identity.HostRef;
        Assert.Equal(4 * GiB, await host.CallAsync("host.compute_free_memory", hostRef));

        var a = await host.CreateVmAsync("a", 3 * GiB);
        var b = await host.CreateVmAsync("b", 2 * GiB);
        await host.CallAsync("VM.start", a, false, false);
        Assert.Equal(GiB, await host.CallAsync("host.compute_free_memory", hostRef));
        Assert.Equal(GiB, await MetricsFreeAsync(host));

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => host.CallAsync("VM.start", b, false, false));
        Assert.Equal(["HOST_NOT_ENOUGH_FREE_MEMORY", Num(2 * GiB), Num(GiB)], failure.Description);
        Assert.Equal("Halted", (await host.RecordAsync("VM", b))["power_state"]);
        Assert.Equal(GiB, await host.CallAsync("host.compute_free_memory", hostRef));

        await host.CallAsync("VM.hard_shutdown", a);
        Assert.Equal(4 * GiB, await host.CallAsync("host.compute_free_memory", hostRef));
        Assert.Equal(4 * GiB, await MetricsFreeAsync(host));
        await host.CallAsync("VM.start", b, false, false);
        Assert.Equal(2 * GiB, await host.CallAsync("host.compute_free_memory", hostRef));
    }

    [Fact]
    public async Task Start_ManyConcurrently_NeverOvercommits()
    {
        await using var host = await InProcessHost.StartAsync(o =>
        {
            o.SimMemoryBytes = (10 * GiB) + Dom0;
            o.SimStartDelay = TimeSpan.FromMilliseconds(20);
        }, TestContext.Current.CancellationToken);
        var vms = new List<string>();
        for (var i = 0; i < 16; i++)
        {
            vms.Add(await host.CreateVmAsync($"vm{i}", GiB));
        }

        var results = await Task.WhenAll(vms.Select(async vm =>
        {
            try
            {
                await host.CallAsync("VM.start", vm, false, false);
                return "ok";
            }
            catch (XenApiFailure failure)
            {
                return failure.Code;
            }
        }));
        Assert.Equal(10, results.Count(r => r == "ok"));
        Assert.Equal(6, results.Count(r => r == "HOST_NOT_ENOUGH_FREE_MEMORY"));
        Assert.Equal(0L, await host.CallAsync("host.compute_free_memory", host.Identity.HostRef));
    }

    [Fact]
    public async Task Start_MoreVcpusThanPhysicalCpus_IsHostNotEnoughPcpus()
    {
        await using var host = await InProcessHost.StartAsync(o => o.SimCpus = 2, TestContext.Current.CancellationToken);
        Assert.Equal(2, ((IReadOnlyList<object?>)(await host.RecordAsync("host", host.Identity.HostRef))["host_CPUs"]!).Count);
        var vm = await host.CreateVmAsync("wide", GiB, vcpus: 4);
        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => host.CallAsync("VM.start", vm, false, false));
        Assert.Equal(["HOST_NOT_ENOUGH_PCPUS", "4", "2"], failure.Description);
    }

    [Fact]
    public async Task HostRecord_ReportsConfiguredRamAndCpus()
    {
        await using var host = await InProcessHost.StartAsync(o =>
        {
            o.SimCpus = 3;
            o.SimMemoryBytes = 8 * GiB;
        }, TestContext.Current.CancellationToken);
        var record = await host.RecordAsync("host", host.Identity.HostRef);
        Assert.Equal("3", ((IReadOnlyDictionary<string, object?>)record["cpu_info"]!)["cpu_count"]);
        var metrics = await host.RecordAsync("host_metrics", (string)record["metrics"]!);
        Assert.Equal(8 * GiB, metrics["memory_total"]);
        Assert.Equal((8 * GiB) - Dom0, metrics["memory_free"]);
    }

    private static async Task<long> MetricsFreeAsync(InProcessHost host)
    {
        var metrics = (string)(await host.RecordAsync("host", host.Identity.HostRef))["metrics"]!;
        return (long)(await host.RecordAsync("host_metrics", metrics))["memory_free"]!;
    }

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
}
