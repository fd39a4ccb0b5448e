using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Compute.Services;
using Stratus.Cloud.Conductor.Placement;
using Stratus.Cloud.Scheduler;
using Stratus.Cloud.Tests.Fakes;
using Stratus.Testing;

namespace Stratus.Cloud.Tests.Conductor;

public sealed class ClaimTests
{
    [Fact]
    public void SelectAndClaim_ManyThreadsAtOnce_NoHostOvercommitted()
    {
        // Three hosts of 9728 MB: 9728 × 1.0 − 512 reserved = 9216 MB, room for exactly nine 1 GB servers each.
        var options = new CloudOptions { DataDirectory = "unused" };
        var placement = new PlacementService(options, TimeProvider.System);
        foreach (var name in new[] { "a", "b", "c" })
        {
            placement.SetFlags(name, new HostFlags("nova", false, null, false, DateTime.UtcNow));
            placement.SetFacts(name, Facts(name, memoryMb: 9728), new Dictionary<string, string>());
            placement.SetLastSeen(name, DateTime.UtcNow);
        }

        var flavor = ConductorHarness.Small with { RamMb = 1024, DiskGb = 1 };
        var results = new PlacementResult[100];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
            results[i] = placement.SelectAndClaim(new RequestSpec(Guid.NewGuid(), flavor, new Dictionary<string, string>(), 0, null, [])));

        var placed = results.Where(r => r.Claim is not null).ToList();
        Assert.Equal(27, placed.Count);
        Assert.All(placed.GroupBy(r => r.Claim!.Host), g => Assert.Equal(9, g.Count()));
        Assert.All(placement.States(), s => Assert.True(s.FreeRamMb >= 0, $"{s.Host} has {s.FreeRamMb} MB free"));
        var refused = results.First(r => r.Claim is null);
        Assert.Equal("No valid host was found: 3 hosts considered, none with 1024 MB of free RAM.", refused.Decision.TenantSummary);
    }

    [Fact]
    public void Release_AfterClaim_CapacityComesBack()
    {
        var placement = new PlacementService(new CloudOptions { DataDirectory = "unused" }, TimeProvider.System);
        placement.SetFlags("a", new HostFlags("nova", false, null, false, DateTime.UtcNow));
        placement.SetFacts("a", Facts("a", memoryMb: 2560), new Dictionary<string, string>());
        placement.SetLastSeen("a", DateTime.UtcNow);
        var flavor = ConductorHarness.Small with { RamMb = 2048 };
        var first = placement.SelectAndClaim(new RequestSpec(Guid.NewGuid(), flavor, new Dictionary<string, string>(), 0, null, []));
        var second = placement.SelectAndClaim(new RequestSpec(Guid.NewGuid(), flavor, new Dictionary<string, string>(), 0, null, []));

        Assert.True(placement.Release(first.Claim!.InstanceId));
        var third = placement.SelectAndClaim(new RequestSpec(Guid.NewGuid(), flavor, new Dictionary<string, string>(), 0, null, []));

        Assert.Null(second.Claim);
        Assert.Equal("a", third.Claim?.Host);
    }

    [Fact]
    public void SelectAndClaim_HeartbeatTooOld_HostIsDownWithItsAge()
    {
        var placement = new PlacementService(new CloudOptions { DataDirectory = "unused", ServiceDownTime = TimeSpan.FromSeconds(60) }, TimeProvider.System);
        placement.SetFlags("old", new HostFlags("nova", false, null, false, DateTime.UtcNow));
        placement.SetFacts("old", Facts("old", memoryMb: 65536), new Dictionary<string, string>());
        placement.SetLastSeen("old", DateTime.UtcNow.AddSeconds(-95));

        var result = placement.SelectAndClaim(new RequestSpec(Guid.NewGuid(), ConductorHarness.Small, new Dictionary<string, string>(), 0, null, []));

        Assert.Null(result.Claim);
        Assert.Matches("old: ComputeFilter rejected it: service down: last heartbeat 9[5-9] s ago", result.Decision.AdminDetails);
    }

    [Fact]
    public async Task Boot_ManyAtOnceThroughTheConductor_NoHostOvercommitted()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var connector = new FakeConnector();
        var images = new FakeImageCatalog();
        images.Add("img", new byte[4096]);
        // 4096 MB − 512 reserved = 3584 MB: three 1 GB servers per host (the host itself agrees: it keeps 512 MB for dom0).
        var hosts = new[] { "h1", "h2", "h3" }.Select(n => connector.Add(new FakeXenHost(n, memoryBytes: 4096L << 20))).ToList();
        await using var cloud = await ConductorHarness.StartAsync(data.Path, connector, images, new FakeNetworkAllocator(), hosts, ct);
        await cloud.WaitForHostsAsync(3, ct);
        var flavor = ConductorHarness.Small with { RamMb = 1024 };

        var boots = await Task.WhenAll(Enumerable.Range(0, 15).Select(_ => cloud.BootAsync("img", ct, flavor: flavor)));
        await cloud.IdleAsync();

        var servers = await Task.WhenAll(boots.Select(b => cloud.ReloadAsync(b.Id, ct)));
        Assert.Equal(9, servers.Count(s => s.VmState == VmStates.Active));
        Assert.Equal(6, servers.Count(s => s.VmState == VmStates.Error));
        Assert.All(servers.Where(s => s.VmState == VmStates.Active).GroupBy(s => s.Host), g => Assert.Equal(3, g.Count()));
        Assert.All(hosts, h => Assert.Equal(3, h.GuestVms.Count));
    }

    [Fact]
    public void SelectAndClaim_SrAlreadyHoldsOtherFiles_DiskFilterCountsThem()
    {
        // A 100 GB SR of which 27 GB are taken by files the controller never claimed: an 80 GB disk does not fit.
        var placement = new PlacementService(new CloudOptions { DataDirectory = "unused" }, TimeProvider.System);
        placement.SetFlags("a", new HostFlags("nova", false, null, false, DateTime.UtcNow));
        placement.SetFacts("a", Facts("a", memoryMb: 8192) with { LocalGb = 100, FreeDiskGb = 73 }, new Dictionary<string, string>());
        placement.SetLastSeen("a", DateTime.UtcNow);

        var big = placement.SelectAndClaim(new RequestSpec(Guid.NewGuid(), ConductorHarness.Small with { DiskGb = 80 }, new Dictionary<string, string>(), 0, null, []));
        var fits = placement.SelectAndClaim(new RequestSpec(Guid.NewGuid(), ConductorHarness.Small with { DiskGb = 70 }, new Dictionary<string, string>(), 0, null, []));

        Assert.Null(big.Claim);
        Assert.Equal("No valid host was found: 1 host considered, none with 80 GB of free disk.", big.Decision.TenantSummary);
        Assert.Equal("a", fits.Claim?.Host);
        Assert.Equal(30, Assert.Single(placement.States()).FreeDiskGb);
    }

    private static HypervisorFacts Facts(string name, long memoryMb) =>
        new(name, "XenServer", 8004000, "192.0.2.1", Guid.NewGuid().ToString(), 64, memoryMb, memoryMb, 1000, 1000, "{}",
            [new StorageFacts("sr", "Local storage", "ext", 1L << 40, 0, false)], "sr", DateTime.UtcNow);
}
