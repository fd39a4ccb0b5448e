using BenchmarkDotNet.Running;
using Stratus.Benchmarks.Compute;
using Stratus.Benchmarks.Identity;

// Every benchmark in this assembly; pick with --filter, e.g. --filter '*Token*' --job short.
// "cputime" instead measures CPU time per operation, which stays meaningful on a busy shared machine.
// "compute-load [servers]" runs the compute API's HTTP figures (a real controller app, wrk for throughput).
if (args is ["cputime"])
{
    TokenCpuTime.Run(Console.Out);
    return 0;
}

if (args.Length > 0 && args[0] == "compute-load")
{
    return await ComputeLoad.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
