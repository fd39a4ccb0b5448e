using System.Diagnostics;
using System.Globalization;
using Stratus.Cloud.Scheduler;

namespace Stratus.Benchmarks.Conductor;

/// <summary>
/// Latency percentiles of one scheduling decision (<c>dotnet run -c Release -- schedule</c>): 2,000 decisions over
/// 10,000 hosts through the conductor's select-and-claim (claim released after each), each timed, then p50/p99/max;
/// and the same for the pure filter scheduler. Also how long building the admin's per-host explanation text takes
/// for a "no valid host" over those hosts (it is built once, when the fault is written).
/// </summary>
internal static class SchedulingLatency
{
    public static void Run(TextWriter output, int hosts = 10_000, int decisions = 2_000)
    {
        var (placement, states) = SchedulingBenchmarks.Build(hosts);
        var scheduler = FilterScheduler.Default(spread: true);
        var request = SchedulingBenchmarks.Request();
        Measure(output, $"select-and-claim over {hosts:N0} hosts", decisions, () =>
        {
            placement.SelectAndClaim(request);
            placement.Release(request.InstanceId);
        });
        Measure(output, $"filter scheduler alone over {hosts:N0} hosts", decisions, () => scheduler.Select(request, states));
        var impossible = request with { Flavor = request.Flavor with { RamMb = 1 << 20 } };
        Measure(output, $"no valid host + full admin explanation over {hosts:N0} hosts", 200, () => _ = scheduler.Select(impossible, states).AdminDetails.Length);
    }

    private static void Measure(TextWriter output, string name, int count, Action operation)
    {
        for (var i = 0; i < Math.Min(200, count); i++)
        {
            operation();
        }

        var samples = new double[count];
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            operation();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / count;
        Array.Sort(samples);
        double P(double q) => samples[Math.Min(count - 1, (int)Math.Ceiling(q * count) - 1)];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: wall p50 {P(0.50):F2} ms, p99 {P(0.99):F2} ms, max {samples[^1]:F2} ms; CPU {cpu:F2} ms/decision ({count:N0} decisions)"));
    }
}
