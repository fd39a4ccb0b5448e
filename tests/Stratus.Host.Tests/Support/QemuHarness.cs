using Microsoft.Extensions.Logging.Abstractions;
using Stratus.Host.Backends;
using Stratus.Host.Backends.Qemu;
using Stratus.Host.Images;

namespace Stratus.Host.Tests.Support;

/// <summary>
/// A QemuVmBackend on its own data directory, for tests that boot real VMs. Disposing it stops every VM it started
/// (through the backend, and by pid for any a test left behind) and deletes the directory.
/// </summary>
internal sealed class QemuHarness : IAsyncDisposable
{
    /// <summary>Generous: a TCG boot takes seconds on an idle machine, and CI machines are not idle.</summary>
    public static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(3);

    private readonly List<string> _started = [];

    private QemuHarness(ShortTempDirectory dir, QemuOptions options, QemuVmBackend backend)
    {
        Directory = dir;
        Options = options;
        Backend = backend;
    }

    public ShortTempDirectory Directory { get; }

    public QemuOptions Options { get; }

    public QemuVmBackend Backend { get; private set; }

    public static async Task<QemuHarness> CreateAsync(string? binary = null, string accelerator = "auto", string? networkNamespace = null)
    {
        var dir = new ShortTempDirectory();
        var options = new QemuOptions
        {
            DataDirectory = dir.File("data"),
            Binary = binary ?? Requires.Qemu(),
            Accelerator = accelerator,
            NetworkNamespace = networkNamespace,
        };
        var backend = await QemuVmBackend.CreateAsync(options, NullLoggerFactory.Instance, TimeProvider.System, TestContext.Current.CancellationToken);
        return new QemuHarness(dir, options, backend);
    }

    /// <summary>Simulates an agent restart: the backend goes (QEMU keeps running), a new one comes up on the same directory.</summary>
    public async Task RestartBackendAsync(Func<Task>? whileAway = null)
    {
        await Backend.DisposeAsync();
        if (whileAway is not null)
            await whileAway();
        Backend = await QemuVmBackend.CreateAsync(Options, NullLoggerFactory.Instance, TimeProvider.System, TestContext.Current.CancellationToken);
    }

    public static VmLaunchSpec Spec(
        string uuid, BootSpec boot, IReadOnlyList<DiskSpec>? disks = null, IReadOnlyList<NicSpec>? nics = null, bool paused = false) =>
        new(uuid, $"test-{uuid[..8]}", 1, 256L << 20, 256L << 20, disks ?? [], nics ?? [], boot, paused);

    public static BootSpec DirectBoot(TestImageFixture image) => new(image.Kernel, image.Image.InitrdPath, image.Image.KernelArgs, "");

    public async Task<VmRuntimeInfo> StartAsync(VmLaunchSpec spec)
    {
        _started.Add(spec.Uuid);
        return await Backend.StartAsync(spec, TestContext.Current.CancellationToken);
    }

    /// <summary>Polls the console log until the test image's banner has appeared <paramref name="count"/> times.</summary>
    public async Task<(string Hostname, IReadOnlyList<string> Addresses)> WaitForBannerAsync(string uuid, int count = 1)
    {
        var log = await WaitForConsoleAsync(uuid, text => TestImageBanner.Pattern().Count(text) >= count, "the banner");
        return TestImageBanner.Find(log[TestImageBanner.Pattern().Matches(log)[count - 1].Index..])!.Value;
    }

    public async Task<string> WaitForConsoleAsync(string uuid, Func<string, bool> condition, string what)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(BootTimeout);
        var text = "";
        try
        {
            while (true)
            {
                text = await Backend.ReadConsoleAsync(uuid, null, timeout.Token);
                if (condition(text))
                    return text;
                await Task.Delay(100, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"VM {uuid}: no {what} on the console within {BootTimeout}; console so far:\n{text}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var uuid in _started)
        {
            try
            {
                await Backend.ShutdownAsync(uuid, clean: false, TimeSpan.Zero, CancellationToken.None);
            }
            catch (Stratus.XenApi.XenApiFailure)
            {
                // Not running (any more).
            }

            if (await QemuProcess.ReadPidFileAsync(QemuVmPaths.For(Options, uuid).PidFile, CancellationToken.None) is { } pid)
                QemuProcess.Kill(pid, uuid);
        }

        await Backend.DisposeAsync();
        Directory.Dispose();
    }
}
