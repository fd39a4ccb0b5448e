using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Stratus.Host.Backends.Qemu;
using Stratus.Host.Tests.Support;

namespace Stratus.Host.Tests.Backends.Qemu;

public sealed class AcceleratorProbeTests
{
    [Theory]
    [InlineData("tcg")]
    [InlineData("kvm")]
    public async Task ChooseAsync_Configured_UsesItWithoutProbing(string accelerator)
    {
        // A binary that does not exist proves no probe ran.
        var options = new QemuOptions { DataDirectory = "/tmp/unused", Binary = "/nonexistent/qemu", Accelerator = accelerator };

        var choice = await new AcceleratorProbe(options, NullLogger.Instance, TimeProvider.System).ChooseAsync(TestContext.Current.CancellationToken);

        Assert.Equal(accelerator, choice.Name);
        Assert.Contains("configured", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task ChooseAsync_Auto_ProbesOnceAndExplains()
    {
        var options = new QemuOptions { DataDirectory = "/tmp/unused", Binary = Requires.Qemu() };
        var probe = new AcceleratorProbe(options, NullLogger.Instance, TimeProvider.System);

        var first = await probe.ChooseAsync(TestContext.Current.CancellationToken);
        var second = await new AcceleratorProbe(options, NullLogger.Instance, TimeProvider.System).ChooseAsync(TestContext.Current.CancellationToken);

        Assert.Contains(first.Name, new[] { "kvm", "tcg" });
        Assert.Contains(File.Exists("/dev/kvm") ? "under KVM" : "no /dev/kvm", first.Reason, StringComparison.Ordinal);
        Assert.Same(first, second);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task BootSector_UnderTcg_PrintsMarkerAndExitsThroughDebugPort()
    {
        var qemu = Requires.Qemu();
        using var dir = new ShortTempDirectory();
        var disk = dir.File("probe.img");
        await File.WriteAllBytesAsync(disk, AcceleratorProbe.BootSector(), TestContext.Current.CancellationToken);

        var info = new ProcessStartInfo(qemu) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-accel", "tcg", "-m", "16M", "-nodefaults", "-display", "none", "-no-reboot", "-serial", "stdio",
                     "-drive", $"file={disk},format=raw,if=ide", "-device", "isa-debug-exit,iobase=0xf4,iosize=4" })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Contains("STRATUS-PROBE-OK", output, StringComparison.Ordinal);
        // isa-debug-exit: QEMU exits with (value << 1) | 1 for the value 1 the code writes.
        Assert.Equal(3, process.ExitCode);
        Assert.Equal(512, AcceleratorProbe.BootSector().Length);
    }
}
