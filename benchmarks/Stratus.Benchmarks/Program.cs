using BenchmarkDotNet.Running;
using Stratus.Benchmarks.Conductor;
using Stratus.Benchmarks.Identity;

// Every benchmark in this assembly; pick with --filter, e.g. --filter '*Token*' --job short.
// "cputime" instead measures CPU time per operation, which stays meaningful on a busy shared machine.
if (args is ["cputime"])
{
    TokenCpuTime.Run(Console.Out);
    return;
}

// "schedule": latency percentiles of one scheduling decision over 10,000 hosts.
if (args is ["schedule", ..])
{
    SchedulingLatency.Run(Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
