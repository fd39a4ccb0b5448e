using System.Text.Json;
using Stratus.Host.Images;
using Stratus.Host.Processes;
using Stratus.Host.Tests.Support;

namespace Stratus.Host.Tests.Images;

public sealed class TestImageBuilderTests(TestImageFixture image)
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task Build_HostPackages_KernelInitrdDisksAndManifest()
    {
        var img = image.Image;

        Assert.True(new FileInfo(img.KernelPath).Length > 1 << 20);
        Assert.True(new FileInfo(img.InitrdPath).Length > 100_000);
        Assert.True(File.Exists(img.RawDiskPath));
        Assert.True(File.Exists(img.Qcow2DiskPath));
        var info = await ExternalCommand.RunCheckedAsync(Requires.Tool("qemu-img", "qemu-utils"), ["info", "--output=json", img.Qcow2DiskPath!], TestContext.Current.CancellationToken);
        Assert.Equal("qcow2", JsonDocument.Parse(info).RootElement.GetProperty("format").GetString());
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(img.Directory, "manifest.json"), TestContext.Current.CancellationToken));
        Assert.Equal(img.KernelVersion, manifest.RootElement.GetProperty("kernelVersion").GetString());
        Assert.Contains("virtio_net", manifest.RootElement.GetProperty("modules").EnumerateArray().Select(m => m.GetString()));
        Assert.StartsWith(TestImageBanner.Prefix, manifest.RootElement.GetProperty("banner").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Build_Twice_SecondRunReusesTheFiles()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new ShortTempDirectory();
        var options = new TestImageOptions(dir.File("img")) { Disks = TestImageDisks.Raw };
        TestImage first;
        try
        {
            first = await new TestImageBuilder().BuildAsync(options, ct);
        }
        catch (FileNotFoundException e)
        {
            Requires.Missing(e.Message);
            return;
        }

        var written = File.GetLastWriteTimeUtc(first.InitrdPath);
        var second = await new TestImageBuilder().BuildAsync(options, ct);

        Assert.False(first.Reused);
        Assert.True(second.Reused);
        Assert.Equal(written, File.GetLastWriteTimeUtc(second.InitrdPath));
        Assert.Null(second.Qcow2DiskPath);
        Assert.False(File.Exists(Path.Combine(dir.File("img"), "disk.qcow2")));
        Assert.Empty(Directory.GetDirectories(dir.File("img")));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Initrd_Unpacked_HasInitBusyboxModulesAndScripts()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var file = File.OpenRead(image.Image.InitrdPath);
        await using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        await gzip.CopyToAsync(buffer, ct);

        var entries = NewcReader.Read(buffer.ToArray()).ToDictionary(e => e.Name);

        Assert.Equal("/bin/busybox", System.Text.Encoding.UTF8.GetString(entries["init"].Data));
        Assert.Equal(0x2000, entries["dev/console"].Mode & 0xF000);
        Assert.True(entries.ContainsKey("etc/init.d/rcS"));
        Assert.True(entries.ContainsKey("lib/modules/virtio_pci.ko"));
        var order = System.Text.Encoding.UTF8.GetString(entries["lib/modules/load-order"].Data).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(Array.IndexOf(order, "virtio.ko") < Array.IndexOf(order, "virtio_net.ko"));
        Assert.True(entries.ContainsKey("sbin/acpid") || entries.ContainsKey("usr/sbin/acpid"));
    }

    [Fact]
    public void Banner_Find_ParsesHostnameAndAddresses()
    {
        var log = "SYSLINUX\r\nstratus-init: x\r\nstratus-test-image ready: hostname=vm-1 addresses=10.0.0.5/24,192.0.2.3/25\r\n";

        var (hostname, addresses) = TestImageBanner.Find(log)!.Value;

        Assert.Equal("vm-1", hostname);
        Assert.Equal(["10.0.0.5/24", "192.0.2.3/25"], addresses);
        Assert.Empty(TestImageBanner.Find("stratus-test-image ready: hostname=a addresses=none\n")!.Value.Addresses);
        Assert.Null(TestImageBanner.Find("booting...\n"));
    }
}
