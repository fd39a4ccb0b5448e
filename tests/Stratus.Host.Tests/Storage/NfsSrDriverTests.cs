using Microsoft.Extensions.Logging.Abstractions;
using Stratus.Host.Storage.Nfs;
using Stratus.Host.Storage;
using Stratus.Host.Tests.Support;
using Stratus.Testing;
using Stratus.XenApi;

namespace Stratus.Host.Tests.Storage;

/// <summary>The file SR suite against a real nfs-ganesha on loopback, plus NFSSR.py's configuration errors.</summary>
[Collection(NfsCollection.Name)]
[Trait("Category", "Slow")]
public sealed class NfsSrDriverTests(GaneshaServer ganesha) : FileSrDriverTests
{
    private readonly NfsSrDriver _driver = new(Tools.QemuImg, NullLogger<NfsSrDriver>.Instance, TimeProvider.System);

    private protected override ISrDriver Driver => _driver;

    private protected override async Task<SrContext> NewSrAsync()
    {
        RequireServer();
        var sr = Context(new() { ["server"] = ganesha.Server, ["serverpath"] = ganesha.ExportPath });
        await _driver.CreateAsync(sr, Ct);
        await _driver.AttachAsync(sr, Ct);
        return sr;
    }

    private protected override IReadOnlyList<string> FilesOnSubstrate(SrContext sr) =>
        [.. Directory.EnumerateFiles(Path.Join(ganesha.ExportPath, sr.Uuid)).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private protected override string ExternalName(SrContext sr, string fileName) => $"nfs://{ganesha.Server}{ganesha.ExportPath}/{sr.Uuid}/{fileName}";

    private protected override bool SubstrateDirectoryExists(SrContext sr) => Directory.Exists(Path.Join(ganesha.ExportPath, sr.Uuid));

    protected override void Dispose(bool disposing)
    {
        _driver.Dispose();
        base.Dispose(disposing);
    }

    [Fact]
    public async Task CreateAsync_NoServer_ConfigServerMissing()
    {
        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.CreateAsync(Context(new() { ["serverpath"] = "/x" }), Ct));

        Assert.Equal("SR_BACKEND_FAILURE_102", failure.Code);
        Assert.Equal(new[] { "", "The request is missing the server parameter", "" }, failure.Parameters);
    }

    [Fact]
    public async Task CreateAsync_NoServerPath_ConfigServerPathMissing()
    {
        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.CreateAsync(Context(new() { ["server"] = "127.0.0.1" }), Ct));

        Assert.Equal("SR_BACKEND_FAILURE_101", failure.Code);
        Assert.Equal(new[] { "", "The request is missing the serverpath parameter", "" }, failure.Parameters);
    }

    [Fact]
    public async Task CreateAsync_NfsVersion4_NfsVersionUnsupported()
    {
        var sr = Context(new() { ["server"] = "127.0.0.1", ["serverpath"] = "/x", ["nfsversion"] = "4.1" });

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.CreateAsync(sr, Ct));

        Assert.Equal("SR_BACKEND_FAILURE_72", failure.Code);
        Assert.Contains("NFSv3", failure.Parameters[1]);
    }

    [Fact]
    public async Task CreateAsync_ServerThatDoesNotResolve_NfsTarget()
    {
        var sr = Context(new() { ["server"] = "no-such-server.invalid", ["serverpath"] = "/export" });

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.CreateAsync(sr, Ct));

        Assert.Equal("SR_BACKEND_FAILURE_108", failure.Code);
        Assert.StartsWith("Unable to detect an NFS service on this target. [opterr=", failure.Parameters[1]);
    }

    [Fact]
    public async Task CreateAsync_PathTheServerDoesNotExport_NfsMount()
    {
        RequireServer();
        var sr = Context(new() { ["server"] = ganesha.Server, ["serverpath"] = "/not/exported" });

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.CreateAsync(sr, Ct));

        Assert.Equal("SR_BACKEND_FAILURE_73", failure.Code);
        Assert.StartsWith("NFS mount error [opterr=", failure.Parameters[1]);
    }

    [Fact]
    public async Task CreateAsync_SrDirectoryAlreadyHoldsFiles_SrExists()
    {
        RequireServer();
        var sr = Context(new() { ["server"] = ganesha.Server, ["serverpath"] = ganesha.ExportPath });
        Directory.CreateDirectory(Path.Join(ganesha.ExportPath, sr.Uuid));
        await File.WriteAllTextAsync(Path.Join(ganesha.ExportPath, sr.Uuid, "other.qcow2"), "x", Ct);

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.CreateAsync(sr, Ct));

        Assert.Equal("SR_BACKEND_FAILURE_42", failure.Code);
    }

    [Fact]
    public async Task AttachAsync_SrDirectoryMissingOnTheExport_NfsMount()
    {
        RequireServer();
        var sr = Context(new() { ["server"] = ganesha.Server, ["serverpath"] = ganesha.ExportPath });

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.AttachAsync(sr, Ct));

        Assert.Equal("SR_BACKEND_FAILURE_73", failure.Code);
        Assert.Contains("does not exist", failure.Parameters[1]);
    }

    [Fact]
    public async Task CreateAsync_NewSr_MakesTheSubdirectoryOnTheServer()
    {
        var sr = await NewSrAsync();

        Assert.True(Directory.Exists(Path.Join(ganesha.ExportPath, sr.Uuid)));
    }

    [Fact]
    public async Task GetCapacityAsync_Export_EqualsStatvfsOnTheServer()
    {
        var sr = await NewSrAsync();
        await _driver.CreateVdiAsync(sr, Guid.NewGuid().ToString(), 8L * MiB, Ct);

        var capacity = await _driver.GetCapacityAsync(sr, Ct);
        var (fragment, blocks, free, _) = await Tools.StatFileSystemAsync(ganesha.ExportPath);

        Assert.Equal(blocks * fragment, capacity.PhysicalSize);
        if (ganesha.ExportIsPrivateFileSystem)
        {
            Assert.Equal((blocks - free) * fragment, capacity.PhysicalUtilisation);
        }
        else
        {
            Assert.InRange(capacity.PhysicalUtilisation, 1, capacity.PhysicalSize);
        }
    }

    [Fact]
    public async Task CloneVdiAsync_ChildHeader_NamesItsBaseByNfsUrl()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await _driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);

        var clone = await _driver.CloneVdiAsync(sr, uuid, Guid.NewGuid().ToString(), Ct);
        var info = await Tools.QemuImg.InfoAsync(ExternalName(sr, $"{clone.Location}.qcow2"), "qcow2", shared: true, untrusted: false, Ct);

        Assert.Equal(ExternalName(sr, $"{clone.ParentLocation}.qcow2"), info.BackingFile);
    }

    [Fact]
    public async Task CreateAsync_NoSubdir_UsesTheServerPathItself()
    {
        RequireServer();
        var root = Path.Join(ganesha.ExportPath, $"nosubdir-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        var sr = Context(new() { ["server"] = ganesha.Server, ["serverpath"] = root }, new() { ["nosubdir"] = "true" });
        await _driver.CreateAsync(sr, Ct);
        var uuid = Guid.NewGuid().ToString();

        await _driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);

        Assert.True(File.Exists(Path.Join(root, $"{uuid}.qcow2")));
        Assert.Equal($"nfs://{ganesha.Server}{root}/{uuid}.qcow2", _driver.Locate(sr, uuid).Path);
    }

    private void RequireServer()
    {
        if (ganesha.Unavailable is not null)
        {
            Requires.Missing(ganesha.Unavailable);
        }
    }

    private static SrContext Context(Dictionary<string, string> deviceConfig, Dictionary<string, string>? smConfig = null) =>
        new(Guid.NewGuid().ToString(), "nfs", deviceConfig, smConfig ?? [], "/nonexistent-data-dir", 0);
}
