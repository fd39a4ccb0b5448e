using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Compute.Services;
using Stratus.Cloud.Scheduler;

namespace Stratus.Cloud.Tests.Scheduler;

public sealed class FilterSchedulerTests
{
    private static readonly StorageFacts LocalExt = new("sr-1", "Local storage", "ext", 500L << 30, 10L << 30, false);

    [Fact]
    public void Select_NoHostHasTheRam_TenantSummaryGivesCountAndNeedButNoHostNames()
    {
        var hosts = new[] { Host("compute1", memoryMb: 2048, usedMb: 1024), Host("compute2", memoryMb: 1024), Host("compute3", memoryMb: 1536) };

        var decision = Scheduler(spread: true).Select(Request(ramMb: 4096), hosts);

        Assert.False(decision.Found);
        Assert.Equal("No valid host was found: 3 hosts considered, none with 4096 MB of free RAM.", decision.TenantSummary);
        Assert.DoesNotContain("compute", decision.TenantSummary, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_NoHostFits_AdminDetailsNameEachHostFilterAndNumbers()
    {
        var hosts = new[] { Host("compute1", memoryMb: 2048, usedMb: 1024), Host("compute2", memoryMb: 65536, enabled: false, disabledReason: "maintenance") };

        var details = Scheduler(spread: true).Select(Request(ramMb: 4096), hosts).AdminDetails;

        Assert.Contains("compute1: RamFilter rejected it: 2048 MB free RAM < 4096 MB requested (2048 MB × 1.5 ratio, 1024 MB used)", details, StringComparison.Ordinal);
        Assert.Contains("compute2: ComputeFilter rejected it: service disabled (maintenance)", details, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_MixedReasons_SummaryCountsEachReason()
    {
        var hosts = new[] { Host("a", memoryMb: 512), Host("b", memoryMb: 512), Host("c", memoryMb: 65536, up: false, heartbeatAge: 95) };

        var summary = Scheduler(spread: true).Select(Request(ramMb: 2048), hosts).TenantSummary;

        Assert.Equal("No valid host was found: 3 hosts considered; 2 lacked 2048 MB of free RAM; 1 was down.", summary);
    }

    [Theory]
    [InlineData(true, "big")]
    [InlineData(false, "small")]
    public void Select_SpreadOrPack_ChoosesMostOrLeastFreeRam(bool spread, string expected)
    {
        var hosts = new[] { Host("small", memoryMb: 4096), Host("big", memoryMb: 65536), Host("mid", memoryMb: 16384) };

        var decision = Scheduler(spread).Select(Request(ramMb: 1024), hosts);

        Assert.Equal(expected, decision.Chosen?.Host);
    }

    [Fact]
    public void Select_RetriedBuild_SkipsHostsAlreadyTried()
    {
        var hosts = new[] { Host("a", memoryMb: 65536), Host("b", memoryMb: 4096) };

        var decision = Scheduler(spread: true).Select(Request(ramMb: 1024, tried: ["a"]), hosts);

        Assert.Equal("b", decision.Chosen?.Host);
        Assert.Contains("a: RetryFilter rejected it", decision.AdminDetails, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_FlavorAsksForLvm_OnlyHostsWithAnLvmSrQualify()
    {
        var lvm = new StorageFacts("sr-2", "Local LVM", "lvm", 500L << 30, 0, false);
        var hosts = new[] { Host("ext-only", memoryMb: 65536), Host("with-lvm", memoryMb: 4096, srs: [LocalExt, lvm]) };

        var decision = Scheduler(spread: true).Select(Request(ramMb: 1024, extraSpecs: new() { ["stratus:sr_type"] = "lvm" }), hosts);

        Assert.Equal("with-lvm", decision.Chosen?.Host);
        Assert.Contains("ext-only: StorageFilter rejected it: no SR of type lvm (the host has ext)", decision.AdminDetails, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_NoHosts_SaysThereAreNone()
    {
        var decision = Scheduler(spread: true).Select(Request(ramMb: 64), []);

        Assert.Equal("No valid host was found: there are no compute hosts.", decision.TenantSummary);
    }

    private static FilterScheduler Scheduler(bool spread) => FilterScheduler.Default(spread);

    private static RequestSpec Request(int ramMb, IReadOnlyCollection<string>? tried = null, Dictionary<string, string>? extraSpecs = null) =>
        new(Guid.NewGuid(), new FlavorSnapshot("42", "m1.test", ramMb, 1, 1, 0, 0, 1.0, extraSpecs ?? []), new Dictionary<string, string>(), 16L << 20, null, tried ?? []);

    private static HostState Host(string name, long memoryMb, long usedMb = 0, bool enabled = true, string? disabledReason = null, bool up = true,
        double heartbeatAge = 1, IReadOnlyList<StorageFacts>? srs = null) => new()
    {
        Host = name,
        Node = name,
        Enabled = enabled,
        DisabledReason = disabledReason,
        Up = up,
        HeartbeatAgeSeconds = heartbeatAge,
        Vcpus = 8,
        MemoryMb = memoryMb,
        MemoryMbUsed = usedMb,
        LocalGb = 500,
        StorageRepositories = srs ?? [LocalExt],
    };
}
