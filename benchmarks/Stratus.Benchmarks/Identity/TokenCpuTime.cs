using System.Diagnostics;
using System.Globalization;

namespace Stratus.Benchmarks.Identity;

/// <summary>
/// Token validation cost in CPU time rather than wall time (<c>dotnet run -c Release -- cputime</c>): on a shared
/// machine wall-clock benchmarks measure the neighbours, while the process's own CPU time per operation holds
/// steady. Five rounds of a million validations; prints min, median and max.
/// </summary>
internal static class TokenCpuTime
{
    public static void Run(TextWriter output)
    {
        var bench = new TokenValidationBenchmarks();
        bench.Setup();
        try
        {
            Report(output, "decode+verify", 1_000_000, () => bench.DecodeAndVerify());
            Report(output, "validate (ITokenValidator, warm cache)", 1_000_000, () => bench.Validate());
            Report(output, "issue", 200_000, () => bench.Issue());
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private static void Report(TextWriter output, string name, int count, Func<object?> operation)
    {
        for (var i = 0; i < 10_000; i++)
        {
            operation();
        }

        var rounds = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            var before = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < count; i++)
            {
                operation();
            }

            rounds.Add((Process.GetCurrentProcess().TotalProcessorTime - before).TotalNanoseconds / count);
        }

        rounds.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: CPU ns/op min {rounds[0]:F0}, median {rounds[2]:F0}, max {rounds[4]:F0} (5 rounds of {count:N0})"));
    }
}
