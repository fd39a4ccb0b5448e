using Stratus.Host.Storage;
using Stratus.Host.Storage.Iso;
using Stratus.Host.Tests.Support;
using Stratus.Testing;
using Stratus.XenApi;

namespace Stratus.Host.Tests.Storage;

public sealed class IsoSrDriverTests : IDisposable
{
    private readonly TempDirectory _scratch = new();
    private readonly IsoSrDriver _driver = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task ScanAsync_DirectoryOfImages_OneReadOnlyVdiPerIsoNamedByFile()
    {
        var sr = Context();
        await File.WriteAllBytesAsync(_scratch.Combine("debian-12.iso"), new byte[4096], Ct);
        await File.WriteAllBytesAsync(_scratch.Combine("tools.img"), new byte[1024], Ct);
        await File.WriteAllTextAsync(_scratch.Combine("README.txt"), "not an image", Ct);

        await _driver.AttachAsync(sr, Ct);
        var vdis = await _driver.ScanAsync(sr, Ct);

        Assert.Equal(["debian-12.iso", "tools.img"], vdis.Select(v => v.Location));
        Assert.All(vdis, v => Assert.True(v.ReadOnly));
        Assert.Equal(4096, vdis[0].VirtualSize);
    }

    [Fact]
    public async Task CreateVdiAsync_IsoLibrary_SrOperationNotSupported()
    {
        var sr = Context();

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.CreateVdiAsync(sr, Guid.NewGuid().ToString(), 4096, Ct));

        Assert.Equal(XenErrors.SrOperationNotSupported, failure.Code);
        Assert.Equal(sr.Uuid, Assert.Single(failure.Parameters));
    }

    [Fact]
    public async Task ExportAsync_Raw_TheFileItself()
    {
        var sr = Context();
        var bytes = TestImages.Raw(64 * 1024, 40);
        await File.WriteAllBytesAsync(_scratch.Combine("a.iso"), bytes, Ct);
        using var target = new MemoryStream();

        await _driver.ExportAsync(sr, "a.iso", target, ImageFormat.Raw, Ct);

        Assert.Equal(bytes, target.ToArray());
        Assert.Equal(new DiskLocator(_scratch.Combine("a.iso"), "raw"), _driver.Locate(sr, "a.iso"));
    }

    [Fact]
    public void Locate_PathOutsideTheLibrary_VdiMissing()
    {
        var failure = Assert.Throws<XenApiFailure>(() => _driver.Locate(Context(), "../etc/passwd.iso"));

        Assert.Equal(XenErrors.VdiMissing, failure.Code);
    }

    [Fact]
    public async Task AttachAsync_NoLocation_ConfigLocationMissing()
    {
        var sr = new SrContext(Guid.NewGuid().ToString(), "iso", new Dictionary<string, string>(), new Dictionary<string, string>(), _scratch.Path, 0);

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.AttachAsync(sr, Ct));

        Assert.Equal("SR_BACKEND_FAILURE_94", failure.Code);
    }

    [Fact]
    public async Task AttachAsync_NfsStyleLocation_InvalidLocalPath()
    {
        var sr = new SrContext(Guid.NewGuid().ToString(), "iso", new Dictionary<string, string> { ["location"] = "server:/isos" }, new Dictionary<string, string>(), _scratch.Path, 0);

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.AttachAsync(sr, Ct));

        Assert.Equal("SR_BACKEND_FAILURE_226", failure.Code);
    }

    private SrContext Context() =>
        new(Guid.NewGuid().ToString(), "iso", new Dictionary<string, string> { ["location"] = _scratch.Path }, new Dictionary<string, string>(), _scratch.Path, 0);
}
