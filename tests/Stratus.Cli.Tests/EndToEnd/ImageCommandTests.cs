using System.Diagnostics;
using Stratus.Testing;

namespace Stratus.Cli.Tests.EndToEnd;

/// <summary><c>stratus image build-test</c> as users run it.</summary>
public sealed class ImageCommandTests
{
    private static async Task<CliResult> StratusAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(StratusProcess.StratusDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task BuildTest_RawTwice_BuildsThenReuses()
    {
        TestEnvironment.Require("busybox", "the test image's userland (busybox-static)");
        TestEnvironment.Require("mkfs.vfat", "the boot disk (dosfstools)");
        if (!Directory.EnumerateFiles("/boot", "vmlinuz-*").Any())
        {
            TestEnvironment.Require("/boot/vmlinuz", "a guest kernel (linux-image-amd64)");
        }

        using var dir = new TempDirectory("stratus-image");
        var output = dir.Combine("img");

        var first = await StratusAsync("image", "build-test", "--out", output, "--format", "raw");
        var second = await StratusAsync("image", "build-test", "--out", output, "--format", "raw");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("Built in", first.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "vmlinuz")));
        Assert.True(File.Exists(Path.Combine(output, "initrd.img")));
        Assert.True(File.Exists(Path.Combine(output, "disk.raw")));
        Assert.True(File.Exists(Path.Combine(output, "manifest.json")));
        Assert.False(File.Exists(Path.Combine(output, "disk.qcow2")));
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("up to date", second.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildTest_UnknownFormat_FailsWithoutWriting()
    {
        using var dir = new TempDirectory("stratus-image");
        var output = dir.Combine("img");

        var result = await StratusAsync("image", "build-test", "--out", output, "--format", "vhd");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("vhd", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }
}
