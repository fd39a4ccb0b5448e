using System.Diagnostics;
using Stratus.Cloud.Image.Data;
using Stratus.Testing;

namespace Stratus.Cloud.Tests.Image;

/// <summary>virtual_size from the qcow2 header: big-endian size at offset 24, after magic and version.</summary>
public sealed class Qcow2HeaderTests
{
    [Fact]
    public void TryReadVirtualSize_Qcow2Header_ReadsBigEndianSizeAtOffset24()
    {
        var header = TestImages.Qcow2(0x0000_0001_2345_6000, 512);

        Assert.True(Qcow2Header.TryReadVirtualSize(header, out var size));
        Assert.Equal(0x0000_0001_2345_6000, size);
    }

    [Fact]
    public void TryReadVirtualSize_WrongMagicOrVersionOrShort_IsFalse()
    {
        var badMagic = TestImages.Qcow2(1 << 20, 512);
        badMagic[3] = 0;
        var badVersion = TestImages.Qcow2(1 << 20, 512);
        badVersion[7] = 9;

        Assert.False(Qcow2Header.TryReadVirtualSize(badMagic, out _));
        Assert.False(Qcow2Header.TryReadVirtualSize(badVersion, out _));
        Assert.False(Qcow2Header.TryReadVirtualSize(TestImages.Qcow2(1 << 20, 512).AsSpan(0, 20), out _));
    }

    [Theory]
    [InlineData("raw", 4096L)]
    [InlineData("iso", null)]
    [InlineData(null, null)]
    public void VirtualSizes_ByFormat(string? format, long? expected)
    {
        Assert.Equal(expected, VirtualSizes.Of(format, new byte[64], 4096));
    }

    [Fact]
    public void VirtualSizes_Qcow2LabelOnRandomBytes_IsNull()
    {
        Assert.Null(VirtualSizes.Of("qcow2", new byte[512], 512));
    }

    [Fact]
    public async Task TryReadVirtualSize_FileMadeByQemuImg_MatchesItsVirtualSize()
    {
        var qemuImg = TestEnvironment.Require("qemu-img", "a real qcow2 header is the reference");
        using var directory = new TempDirectory("stratus-qcow2");
        var path = directory.Combine("disk.qcow2");
        var info = new ProcessStartInfo(qemuImg) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "create", "-q", "-f", "qcow2", path, "1234M" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, process.ExitCode);

        var header = (await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken))[..512];
        Assert.True(Qcow2Header.TryReadVirtualSize(header, out var size));
        Assert.Equal(1234L * 1024 * 1024, size);
    }
}
