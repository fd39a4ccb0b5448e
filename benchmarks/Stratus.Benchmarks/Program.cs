using BenchmarkDotNet.Running;
using Stratus.Benchmarks.Identity;

// Every benchmark in this assembly; pick with --filter, e.g. --filter '*Token*' --job short.
// "cputime" instead measures CPU time per operation, which stays meaningful on a busy shared machine.
if (args is ["cputime"])
{
    TokenCpuTime.Run(Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
