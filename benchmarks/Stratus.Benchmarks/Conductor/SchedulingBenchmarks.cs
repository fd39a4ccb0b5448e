using BenchmarkDotNet.Attributes;
using Stratus.Cloud;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Compute.Services;
using Stratus.Cloud.Conductor.Placement;
using Stratus.Cloud.Scheduler;

namespace Stratus.Benchmarks.Conductor;

/// <summary>
/// One scheduling decision over many hosts, with its per-host explanation (every host's filter verdict and numbers
/// kept in the decision): the pure filter scheduler alone, and the conductor's select-and-claim (current host states,
/// the decision, the claim, under the placement lock) followed by the release that puts the host back.
/// A realistic mix: about a third of the hosts lack RAM, some are disabled or down, the rest pass.
/// </summary>
[MemoryDiagnoser]
public class SchedulingBenchmarks
{
    private FilterScheduler _scheduler = null!;
    private HostState[] _hosts = null!;
    private PlacementService _placement = null!;
    private RequestSpec _request = null!;

    [Params(1_000, 10_000)]
    public int Hosts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_placement, _hosts) = Build(Hosts);
        _scheduler = FilterScheduler.Default(spread: true);
        _request = Request();
    }

    [Benchmark]
    public object? Select() => _scheduler.Select(_request, _hosts).Chosen;

    [Benchmark]
    public string? SelectAndClaim()
    {
        var result = _placement.SelectAndClaim(_request);
        _placement.Release(_request.InstanceId);
        return result.Claim?.Host;
    }

    /// <summary>Hosts as the conductor would see them: facts from heartbeats, some disabled, some down, a third full.</summary>
    internal static (PlacementService Placement, HostState[] States) Build(int count)
    {
        var options = new CloudOptions { DataDirectory = "unused" };
        var placement = new PlacementService(options, TimeProvider.System);
        var now = DateTime.UtcNow;
        var sr = new[] { new StorageFacts("sr", "Local storage", "ext", 2L << 40, 1L << 40, false) };
        for (var i = 0; i < count; i++)
        {
            var name = $"compute{i:00000}";
            var memoryMb = i % 3 == 0 ? 2048 : 65536 + (i % 17 * 1024);
            placement.SetFlags(name, new HostFlags("nova", i % 50 == 7, i % 50 == 7 ? "maintenance" : null, false, now));
            placement.SetFacts(name, new HypervisorFacts(name, "XenServer", 8004000, "192.0.2.1", Guid.NewGuid().ToString(), 32, memoryMb, memoryMb, 2048, 1024,
                "{}", sr, "sr", now), new Dictionary<string, string> { ["hypervisor_type"] = "xen", ["architecture"] = "x86_64" });
            placement.SetLastSeen(name, i % 97 == 5 ? now.AddMinutes(-5) : now.AddYears(1));
        }

        return (placement, [.. placement.States()]);
    }

    internal static RequestSpec Request() =>
        new(Guid.NewGuid(), new FlavorSnapshot("2", "m1.small", 4096, 2, 20, 0, 0, 1.0, new Dictionary<string, string>()),
            new Dictionary<string, string> { ["hw_architecture"] = "x86_64" }, 50 << 20, null, []);
}
