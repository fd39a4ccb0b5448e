using System.Text;
using Stratus.Host.Images;
using Stratus.Host.Tests.Support;

namespace Stratus.Host.Tests.Images;

public sealed class CpioWriterTests
{
    private static async Task<byte[]> WriteSampleAsync(CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var cpio = new CpioWriter(buffer);
        await cpio.AddDirectoryAsync("etc", ct);
        await cpio.AddFileAsync("etc/hostname", "vm1\n"u8.ToArray(), 0x1A4, ct);
        await cpio.AddSymlinkAsync("bin/sh", "/bin/busybox", ct);
        await cpio.AddCharDeviceAsync("dev/console", 5, 1, 0x180, ct);
        await cpio.AddParentsAsync("a/b/c/file", ct);
        await cpio.AddFileAsync("/a/b/c/file", new byte[] { 1, 2, 3, 4, 5 }, 0x1ED, ct);
        await cpio.FinishAsync(ct);
        return buffer.ToArray();
    }

    [Fact]
    public async Task Write_MixedEntries_ReadsBackWithTypesModesAndAlignment()
    {
        var archive = await WriteSampleAsync(TestContext.Current.CancellationToken);
        var entries = NewcReader.Read(archive);

        Assert.Equal(["etc", "etc/hostname", "bin/sh", "dev/console", "a", "a/b", "a/b/c", "a/b/c/file"], entries.Select(e => e.Name));
        Assert.All(entries, e => Assert.Equal(0, e.HeaderOffset % 4));
        Assert.Equal(0x4000 | 0x1ED, entries[0].Mode);
        Assert.Equal("vm1\n", Encoding.UTF8.GetString(entries[1].Data));
        Assert.Equal(0x8000 | 0x1A4, entries[1].Mode);
        Assert.Equal("/bin/busybox", Encoding.UTF8.GetString(entries[2].Data));
        Assert.Equal(0xA000, entries[2].Mode & 0xF000);
        Assert.Equal((0x2000 | 0x180, 5, 1), (entries[3].Mode, entries[3].DevMajor, entries[3].DevMinor));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, entries[7].Data);
        Assert.Equal(0, archive.Length % 4);
    }

    [Fact]
    public async Task Write_SameInputs_SameBytes()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(await WriteSampleAsync(ct), await WriteSampleAsync(ct));
    }

    [Fact]
    public async Task AddFile_SamePathTwice_Throws()
    {
        var ct = TestContext.Current.CancellationToken;
        var cpio = new CpioWriter(new MemoryStream());
        await cpio.AddFileAsync("x", new byte[1], 0x1A4, ct);
        await Assert.ThrowsAsync<InvalidOperationException>(() => cpio.AddFileAsync("/x", new byte[1], 0x1A4, ct));
    }

    [Fact]
    public async Task Write_ExtractedByBusyboxCpio_GivesTheFiles()
    {
        var ct = TestContext.Current.CancellationToken;
        var busybox = Requires.Tool("busybox", "busybox-static");
        using var dir = new ShortTempDirectory();
        await File.WriteAllBytesAsync(dir.File("a.cpio"), await WriteSampleAsync(ct), ct);
        Directory.CreateDirectory(dir.File("out"));

        // busybox cpio -i reads the archive from stdin; a shell does the redirect.
        var result = await Stratus.Host.Processes.ExternalCommand.RunAsync("/bin/sh", ["-c", $"cd {dir.File("out")} && {busybox} cpio -i -d < ../a.cpio"], ct);

        Assert.True(result.Succeeded, Stratus.Host.Processes.ExternalCommand.ErrorText(result));
        Assert.Equal("vm1\n", await File.ReadAllTextAsync(dir.File("out/etc/hostname"), ct));
        Assert.Equal("/bin/busybox", new FileInfo(dir.File("out/bin/sh")).LinkTarget);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, await File.ReadAllBytesAsync(dir.File("out/a/b/c/file"), ct));
    }
}
