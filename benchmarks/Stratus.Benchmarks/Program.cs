using BenchmarkDotNet.Running;
using Stratus.Benchmarks.Compute;

// `dotnet run -c Release --project benchmarks/Stratus.Benchmarks -- compute-load` runs the HTTP load figures;
// anything else goes to BenchmarkDotNet (e.g. `-- --filter *ServerView*`).
if (args.Length > 0 && args[0] == "compute-load")
{
    return await ComputeLoad.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(ComputeLoad).Assembly).Run(args);
return 0;
