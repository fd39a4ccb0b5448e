using BenchmarkDotNet.Running;
using Stratus.Benchmarks;

// "load [runs]": the end-to-end figures of BENCHMARKS.md against a real agent over loopback.
// Anything else goes to BenchmarkDotNet (e.g. --filter '*Codec*' --inProcess: the generated out-of-process project
// would inherit the repository's warnings-as-errors).
if (args.Length > 0 && args[0] == "load")
{
    var runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200;
    return await LoadTool.RunAsync(runs, Console.Out, CancellationToken.None);
}

BenchmarkSwitcher.FromAssembly(typeof(LoadTool).Assembly).Run(args);
return 0;
