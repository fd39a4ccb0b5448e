using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Stratus.Host.Storage;
using Stratus.Host.Storage.Ext;
using Stratus.Host.Tests.Support;
using Stratus.XenApi;

namespace Stratus.Host.Tests.Storage;

public sealed class ExtSrDriverTests : FileSrDriverTests
{
    private readonly ExtSrDriver _driver = new(Tools.QemuImg, NullLogger<ExtSrDriver>.Instance);

    private protected override ISrDriver Driver => _driver;

    private protected override async Task<SrContext> NewSrAsync()
    {
        Requires.QemuImg();
        var sr = Context(Scratch.Combine("data"));
        await _driver.CreateAsync(sr, Ct);
        await _driver.AttachAsync(sr, Ct);
        return sr;
    }

    private protected override IReadOnlyList<string> FilesOnSubstrate(SrContext sr) =>
        [.. Directory.EnumerateFiles(ExtSrDriver.DirectoryOf(sr)).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private protected override string ExternalName(SrContext sr, string fileName) => Path.Join(ExtSrDriver.DirectoryOf(sr), fileName);

    private protected override bool SubstrateDirectoryExists(SrContext sr) => Directory.Exists(ExtSrDriver.DirectoryOf(sr));

    [Fact]
    public void DirectoryOf_NoPath_IsUnderTheDataDirectory()
    {
        var sr = Context("/var/lib/stratus");

        Assert.Equal($"/var/lib/stratus/sr/{sr.Uuid}", ExtSrDriver.DirectoryOf(sr));
    }

    [Fact]
    public async Task CreateAsync_DevicePathInsteadOfDirectory_ExplainsAndCreatesNothing()
    {
        var sr = Context(Scratch.Combine("data"), new() { ["device"] = "/dev/sdb" });

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.CreateAsync(sr, Ct));

        Assert.Equal("SR_BACKEND_FAILURE_61", failure.Code);
        Assert.Contains("device-config:path", failure.Parameters[1]);
        Assert.False(Directory.Exists(Scratch.Combine("data")));
    }

    [Fact]
    public async Task CreateAsync_RelativePath_Refused()
    {
        var sr = Context(Scratch.Combine("data"), new() { ["path"] = "relative/dir" });

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.CreateAsync(sr, Ct));

        Assert.Equal("SR_BACKEND_FAILURE_61", failure.Code);
    }

    [Fact]
    public async Task CreateAsync_NonEmptyDirectory_SrExists()
    {
        var directory = Scratch.Combine("existing");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Join(directory, "someone-elses.txt"), "keep me", Ct);
        var sr = Context(Scratch.Combine("data"), new() { ["path"] = directory });

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.CreateAsync(sr, Ct));

        Assert.Equal("SR_BACKEND_FAILURE_42", failure.Code);
        Assert.True(File.Exists(Path.Join(directory, "someone-elses.txt")));
    }

    [Fact]
    public async Task AttachAsync_DirectoryMissing_SrUnavailable()
    {
        var sr = Context(Scratch.Combine("data"));

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.AttachAsync(sr, Ct));

        Assert.Equal("SR_BACKEND_FAILURE_47", failure.Code);
        Assert.Equal(3, failure.Parameters.Count);
    }

    [Fact]
    public async Task DestroyAsync_ForeignFileInTheDirectory_KeepsItAndFails()
    {
        var sr = await NewSrAsync();
        var foreign = Path.Join(ExtSrDriver.DirectoryOf(sr), "notes.txt");
        await File.WriteAllTextAsync(foreign, "not a VDI", Ct);

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.DestroyAsync(sr, Ct));

        Assert.Equal("SR_BACKEND_FAILURE_62", failure.Code);
        Assert.True(File.Exists(foreign));
    }

    [Fact]
    public async Task GetCapacityAsync_PrivateFileSystem_EqualsStatvfsExactly()
    {
        Requires.QemuImg();
        var directory = Scratch.Combine("tmpfs");
        await using var tmpfs = await Tmpfs.TryMountAsync(directory, 96L * MiB);
        if (tmpfs is null)
        {
            Assert.Skip("mounting a tmpfs needs root; GetCapacityAsync_SharedFileSystem_SizeEqualsStatvfs covers the size");
        }

        var sr = Context(Scratch.Combine("data"), new() { ["path"] = directory });
        await _driver.CreateAsync(sr, Ct);
        await _driver.CreateVdiAsync(sr, Guid.NewGuid().ToString(), 8L * MiB, Ct);

        var capacity = await _driver.GetCapacityAsync(sr, Ct);
        var (fragment, blocks, free, _) = await Tools.StatFileSystemAsync(directory);

        Assert.Equal(blocks * fragment, capacity.PhysicalSize);
        Assert.Equal((blocks - free) * fragment, capacity.PhysicalUtilisation);
        Assert.InRange(capacity.PhysicalUtilisation, 1, 8L * MiB);
    }

    [Fact]
    public async Task GetCapacityAsync_SharedFileSystem_SizeEqualsStatvfs()
    {
        var sr = await NewSrAsync();

        var capacity = await _driver.GetCapacityAsync(sr, Ct);
        var (fragment, blocks, _, _) = await Tools.StatFileSystemAsync(ExtSrDriver.DirectoryOf(sr));

        Assert.Equal(blocks * fragment, capacity.PhysicalSize);
        Assert.InRange(capacity.PhysicalUtilisation, 1, capacity.PhysicalSize);
    }

    [Fact]
    public async Task ImportAsync_FileSystemFillsUp_SrFullUnusableAndNoTemporaryFileLeft()
    {
        Requires.QemuImg();
        var directory = Scratch.Combine("tmpfs");
        await using var tmpfs = await Tmpfs.TryMountAsync(directory, 24L * MiB);
        if (tmpfs is null)
        {
            Assert.Skip("mounting a small tmpfs needs root");
        }

        var sr = Context(Scratch.Combine("data"), new() { ["path"] = directory });
        await _driver.CreateAsync(sr, Ct);
        var uuid = Guid.NewGuid().ToString();
        await _driver.CreateVdiAsync(sr, uuid, 20L * MiB, Ct);
        var data = new byte[20 * MiB];
        new Random(14).NextBytes(data);

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.ImportAsync(sr, uuid, new MemoryStream(data), ImageFormat.Raw, null, Ct));

        Assert.Equal(XenErrors.SrFull, failure.Code);
        Assert.NotNull(Assert.Single(await _driver.ScanAsync(sr, Ct)).UnusableReason);
        Assert.DoesNotContain(Directory.EnumerateFiles(directory), path => Path.GetFileName(path).StartsWith('.'));
    }

    [Fact]
    public async Task ImportAsync_TemporaryFileHitsAFullFileSystem_SrFullAndNothingLeft()
    {
        Requires.QemuImg();
        var directory = Scratch.Combine("tmpfs");
        await using var tmpfs = await Tmpfs.TryMountAsync(directory, 16L * MiB);
        if (tmpfs is null)
        {
            Assert.Skip("mounting a small tmpfs needs root");
        }

        var sr = Context(Scratch.Combine("data"), new() { ["path"] = directory });
        await _driver.CreateAsync(sr, Ct);
        var uuid = Guid.NewGuid().ToString();
        await _driver.CreateVdiAsync(sr, uuid, 12L * MiB, Ct);
        // Someone else fills the file system after the VDI was granted: the stream itself now runs out of room.
        var filler = Scratch.Combine("tmpfs", "filler");
        await File.WriteAllBytesAsync(filler, TestImages.Raw(10 * MiB, 15), Ct);
        var data = new byte[12 * MiB];
        new Random(16).NextBytes(data);

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.ImportAsync(sr, uuid, new MemoryStream(data), ImageFormat.Raw, null, Ct));

        Assert.Equal(XenErrors.SrFull, failure.Code);
        Assert.DoesNotContain(Directory.EnumerateFiles(directory), path => Path.GetFileName(path).StartsWith('.'));
        File.Delete(filler);
        Assert.NotNull(Assert.Single(await _driver.ScanAsync(sr, Ct)).UnusableReason);
    }

    [Fact]
    public async Task ScanAsync_DirectoryRemovedUnderneath_SrUnavailable()
    {
        var sr = await NewSrAsync();
        Directory.Delete(ExtSrDriver.DirectoryOf(sr));

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.ScanAsync(sr, Ct));

        Assert.Equal("SR_BACKEND_FAILURE_47", failure.Code);
    }

    [Fact]
    public async Task CloneVdiAsync_ImageOpenByARunningQemu_VdiInUseAndNothingRenamed()
    {
        Requires.Tool("qemu-io", "qemu-utils");
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await _driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);
        var before = Directory.GetFiles(ExtSrDriver.DirectoryOf(sr)).Order().ToArray();
        // qemu-io opens the image read-write and takes QEMU's image locks, as a running VM does; it waits on stdin.
        using var holder = Process.Start(new ProcessStartInfo("qemu-io", ["-f", "qcow2", Path.Join(ExtSrDriver.DirectoryOf(sr), $"{uuid}.qcow2")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        })!;
        await holder.StandardOutput.ReadAsync(new char[8], Ct);

        var clone = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.CloneVdiAsync(sr, uuid, Guid.NewGuid().ToString(), Ct));
        var import = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.ImportAsync(sr, uuid, new MemoryStream(new byte[4096]), ImageFormat.Raw, null, Ct));
        holder.StandardInput.Close();
        await holder.WaitForExitAsync(Ct);

        Assert.Equal(new[] { XenErrors.VdiInUse, uuid, "clone" }, clone.Description);
        Assert.Equal(new[] { XenErrors.VdiInUse, uuid, "import" }, import.Description);
        Assert.Equal(before, Directory.GetFiles(ExtSrDriver.DirectoryOf(sr)).Order().ToArray());
        Assert.Null(Assert.Single(await _driver.ScanAsync(sr, Ct)).UnusableReason);
    }

    [Fact]
    public async Task SnapshotVdiAsync_FileMode_IsReadOnlyOnDisk()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await _driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);
        var snapshot = Guid.NewGuid().ToString();

        await _driver.SnapshotVdiAsync(sr, uuid, snapshot, Ct);

        var mode = File.GetUnixFileMode(Path.Join(ExtSrDriver.DirectoryOf(sr), $"{snapshot}.qcow2"));
        Assert.Equal(UnixFileMode.None, mode & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
    }

    [Fact]
    public async Task CloneVdiAsync_ChildHeader_NamesItsBaseByRelativeName()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await _driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);

        var clone = await _driver.CloneVdiAsync(sr, uuid, Guid.NewGuid().ToString(), Ct);
        var info = await Tools.QemuImg.InfoAsync(Path.Join(ExtSrDriver.DirectoryOf(sr), $"{clone.Location}.qcow2"), "qcow2", shared: true, untrusted: false, Ct);

        Assert.Equal($"{clone.ParentLocation}.qcow2", info.BackingFile);
    }

    private static SrContext Context(string dataDirectory, Dictionary<string, string>? deviceConfig = null) =>
        new(Guid.NewGuid().ToString(), "ext", deviceConfig ?? [], new Dictionary<string, string>(), dataDirectory, 0);
}
