using BenchmarkDotNet.Running;
using Stratus.Benchmarks;
using Stratus.Benchmarks.Compute;
using Stratus.Benchmarks.Conductor;
using Stratus.Benchmarks.Identity;

// Every benchmark in this assembly; pick with --filter, e.g. --filter '*Token*' --job short.
// "cputime" instead measures CPU time per operation, which stays meaningful on a busy shared machine.
// "load [runs]" runs the host agent's end-to-end figures against a real agent over loopback.
// "compute-load [servers]" runs the compute API's HTTP figures (a real controller app, wrk for throughput).
if (args is ["cputime"])
{
    TokenCpuTime.Run(Console.Out);
    return 0;
}

if (args is ["load", ..])
{
    var runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200;
    return await LoadTool.RunAsync(runs, Console.Out, CancellationToken.None);
}

// "schedule": latency percentiles of one scheduling decision over 10,000 hosts.
if (args is ["schedule", ..])
{
    SchedulingLatency.Run(Console.Out);
    return 0;
}

// "up [runs]": stratus up on an existing data directory: time until every API answers, idle summed RSS.
if (args is ["up", ..])
{
    var runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
    return await Stratus.Benchmarks.Up.UpStartup.RunAsync(runs, Console.Out, CancellationToken.None);
}

// "controller-load HOSTS BOOTS [CYCLES] [SERVERS] [CONCURRENCY]": a real controller and a sim host farm, boots at concurrency 50 by default.
if (args is ["controller-load", ..])
{
    return await Stratus.Benchmarks.Controller.ControllerLoad.RunAsync(args[1..]);
}

if (args is ["compute-load", ..])
{
    return await ComputeLoad.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
