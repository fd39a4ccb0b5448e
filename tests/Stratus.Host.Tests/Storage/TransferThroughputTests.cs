using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Stratus.Host.Storage;
using Stratus.Host.Storage.Ext;
using Stratus.Host.Storage.Nfs;
using Stratus.Host.Tests.Support;
using Stratus.Testing;

namespace Stratus.Host.Tests.Storage;

/// <summary>
/// A 256 MiB disk streamed in and out of an ext and an NFS SR: the bytes must come back identical, and the timings
/// and the process's memory growth are written to the test output (measured, never asserted).
/// </summary>
[Collection(NfsCollection.Name)]
[Trait("Category", "Slow")]
public sealed class TransferThroughputTests(GaneshaServer ganesha) : IDisposable
{
    private const long Size = 256L << 20;
    private readonly TempDirectory _scratch = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task ImportThenExport_ExtSr_RoundTripsAndReportsThroughput()
    {
        Requires.QemuImg();
        var driver = new ExtSrDriver(Tools.QemuImg, NullLogger<ExtSrDriver>.Instance);
        var sr = new SrContext(Guid.NewGuid().ToString(), "ext", new Dictionary<string, string>(), new Dictionary<string, string>(), _scratch.Path, 0);
        await driver.CreateAsync(sr, Ct);
        await MeasureAsync("ext", driver, sr, ExtSrDriver.DirectoryOf(sr));
    }

    [Fact]
    public async Task ImportThenExport_NfsSr_RoundTripsAndReportsThroughput()
    {
        if (ganesha.Unavailable is not null)
        {
            Requires.Missing(ganesha.Unavailable);
        }

        using var driver = new NfsSrDriver(Tools.QemuImg, NullLogger<NfsSrDriver>.Instance, TimeProvider.System);
        var sr = new SrContext(Guid.NewGuid().ToString(), "nfs", new Dictionary<string, string> { ["server"] = ganesha.Server, ["serverpath"] = ganesha.ExportPath }, new Dictionary<string, string>(), _scratch.Path, 0);
        await driver.CreateAsync(sr, Ct);
        await MeasureAsync("nfs", driver, sr, Path.Join(ganesha.ExportPath, sr.Uuid));
    }

    /// <summary>Imports and exports one disk; the baseline goes to <paramref name="baselineDirectory"/>, a local directory on the file system that holds the SR's files.</summary>
    private static async Task MeasureAsync(string name, ISrDriver driver, SrContext sr, string baselineDirectory)
    {
        var uuid = Guid.NewGuid().ToString();
        await driver.CreateVdiAsync(sr, uuid, Size, Ct);
        using var expected = new HashingStream();
        var generate = Stopwatch.StartNew();
        await new GeneratedStream(Size, 50).CopyToAsync(expected, Ct);
        generate.Stop();

        // Baseline in the same run: the same stream written to a plain file on the same file system and synced.
        var baselinePath = Path.Join(baselineDirectory, $"baseline-{Guid.NewGuid():N}.raw");
        var baseline = Stopwatch.StartNew();
        await using (var file = new FileStream(baselinePath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
        {
            await new GeneratedStream(Size, 50).CopyToAsync(file, 1 << 20, Ct);
            file.Flush(flushToDisk: true);
        }

        baseline.Stop();
        File.Delete(baselinePath);

        var memoryBefore = Environment.WorkingSet;
        var import = Stopwatch.StartNew();
        await driver.ImportAsync(sr, uuid, new GeneratedStream(Size, 50), ImageFormat.Raw, null, Ct);
        import.Stop();
        var memoryAfter = Environment.WorkingSet;
        using var exported = new HashingStream();
        var export = Stopwatch.StartNew();
        await driver.ExportAsync(sr, uuid, exported, ImageFormat.Raw, Ct);
        export.Stop();

        Assert.Equal(Size, exported.Written);
        Assert.Equal(expected.Digest(), exported.Digest());
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{name}: generating and hashing the stream alone {generate.Elapsed.TotalSeconds:F2} s; baseline plain write + fsync {baseline.Elapsed.TotalSeconds:F2} s; " +
            $"import/baseline {import.Elapsed.TotalSeconds / baseline.Elapsed.TotalSeconds:F2}");
        output?.WriteLine($"{name}: raw import of {Size >> 20} MiB in {import.Elapsed.TotalSeconds:F2} s ({Size / 1048576.0 / import.Elapsed.TotalSeconds:F0} MiB/s), " +
            $"export in {export.Elapsed.TotalSeconds:F2} s ({Size / 1048576.0 / export.Elapsed.TotalSeconds:F0} MiB/s), " +
            $"working set {memoryBefore >> 20} -> {memoryAfter >> 20} MiB");
        await driver.DestroyVdiAsync(sr, uuid, Ct);
    }
}
