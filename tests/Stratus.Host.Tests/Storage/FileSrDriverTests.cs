using Stratus.Host.Storage;
using Stratus.Host.Tests.Support;
using Stratus.Testing;
using Stratus.XenApi;

namespace Stratus.Host.Tests.Storage;

/// <summary>
/// What every qcow2-on-a-directory SR must do, run once against a local directory (ext) and once against a real NFS
/// server (nfs). Files are checked from the substrate's side (the directory, or the server's exported directory), not
/// through the driver under test.
/// </summary>
public abstract class FileSrDriverTests : IDisposable
{
    protected const int MiB = TestImages.MiB;

    protected TempDirectory Scratch { get; } = new();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private protected abstract ISrDriver Driver { get; }

    /// <summary>Creates and attaches a fresh SR (SR.create then PBD.plug).</summary>
    private protected abstract Task<SrContext> NewSrAsync();

    /// <summary>The names of the files in the SR directory, listed on the substrate itself.</summary>
    private protected abstract IReadOnlyList<string> FilesOnSubstrate(SrContext sr);

    /// <summary>How qemu-img outside the agent names a file in the SR directory (a path or an nfs:// URL).</summary>
    private protected abstract string ExternalName(SrContext sr, string fileName);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) => Scratch.Dispose();

    [Fact]
    public async Task CreateVdiAsync_NewVdi_ScanReportsItWithItsSize()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();

        var created = await Driver.CreateVdiAsync(sr, uuid, 64L * MiB, Ct);
        var scanned = await Driver.ScanAsync(sr, Ct);

        Assert.Equal(uuid, created.Location);
        Assert.Equal(64L * MiB, created.VirtualSize);
        var vdi = Assert.Single(scanned);
        Assert.Equal(created with { PhysicalUtilisation = vdi.PhysicalUtilisation }, vdi);
        Assert.InRange(vdi.PhysicalUtilisation, 1, 2 * MiB);
        Assert.Contains($"{uuid}.qcow2", FilesOnSubstrate(sr));
    }

    [Fact]
    public async Task ResizeVdiAsync_Grow_ChangesVirtualSizeAndKeepsData()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await Driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);
        var data = TestImages.Raw(8 * MiB, 1);
        await Driver.ImportAsync(sr, uuid, new MemoryStream(data), ImageFormat.Raw, null, Ct);

        var resized = await Driver.ResizeVdiAsync(sr, uuid, 16L * MiB, Ct);

        Assert.Equal(16L * MiB, resized.VirtualSize);
        var exported = await ExportAsync(sr, uuid, ImageFormat.Raw);
        Assert.Equal(16 * MiB, exported.Length);
        Assert.True(exported.AsSpan(0, data.Length).SequenceEqual(data));
        Assert.False(exported.AsSpan(data.Length).ContainsAnyExcept((byte)0));
    }

    [Fact]
    public async Task ResizeVdiAsync_Shrink_FailsWithVdiSizeAndChangesNothing()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await Driver.CreateVdiAsync(sr, uuid, 16L * MiB, Ct);

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => Driver.ResizeVdiAsync(sr, uuid, 8L * MiB, Ct));

        Assert.Equal("SR_BACKEND_FAILURE_79", failure.Code);
        Assert.Equal("", failure.Parameters[0]);
        Assert.Equal(16L * MiB, Assert.Single(await Driver.ScanAsync(sr, Ct)).VirtualSize);
    }

    [Fact]
    public async Task CloneVdiAsync_WritableSource_BothSidesShareAHiddenBaseAndDivergeIndependently()
    {
        var sr = await NewSrAsync();
        var source = Guid.NewGuid().ToString();
        await Driver.CreateVdiAsync(sr, source, 8L * MiB, Ct);
        var original = TestImages.Raw(8 * MiB, 2);
        await Driver.ImportAsync(sr, source, new MemoryStream(original), ImageFormat.Raw, null, Ct);
        var cloneUuid = Guid.NewGuid().ToString();

        var clone = await Driver.CloneVdiAsync(sr, source, cloneUuid, Ct);
        var changed = TestImages.Raw(8 * MiB, 3);
        await Driver.ImportAsync(sr, source, new MemoryStream(changed), ImageFormat.Raw, null, Ct);

        var vdis = (await Driver.ScanAsync(sr, Ct)).ToDictionary(v => v.Location);
        Assert.Equal(3, vdis.Count);
        var baseCopy = Assert.Single(vdis.Values, v => v.Hidden);
        Assert.True(baseCopy.ReadOnly);
        Assert.Equal(baseCopy.Location, vdis[source].ParentLocation);
        Assert.Equal(baseCopy.Location, clone.ParentLocation);
        Assert.False(vdis[source].ReadOnly);
        Assert.False(clone.ReadOnly);
        Assert.Equal(original, await ExportAsync(sr, cloneUuid, ImageFormat.Raw));
        Assert.Equal(changed, await ExportAsync(sr, source, ImageFormat.Raw));
    }

    [Fact]
    public async Task SnapshotVdiAsync_ReadOnlyPointInTimeCopy_CloneOfSnapshotSharesItDirectly()
    {
        var sr = await NewSrAsync();
        var source = Guid.NewGuid().ToString();
        await Driver.CreateVdiAsync(sr, source, 8L * MiB, Ct);
        var original = TestImages.Raw(8 * MiB, 4);
        await Driver.ImportAsync(sr, source, new MemoryStream(original), ImageFormat.Raw, null, Ct);
        var snapshotUuid = Guid.NewGuid().ToString();

        var snapshot = await Driver.SnapshotVdiAsync(sr, source, snapshotUuid, Ct);
        var cloneOfSnapshot = await Driver.CloneVdiAsync(sr, snapshotUuid, Guid.NewGuid().ToString(), Ct);

        Assert.True(snapshot.ReadOnly);
        Assert.False(snapshot.Hidden);
        Assert.Equal(snapshotUuid, cloneOfSnapshot.ParentLocation);
        Assert.Equal(original, await ExportAsync(sr, snapshotUuid, ImageFormat.Raw));
        Assert.Equal(original, await ExportAsync(sr, cloneOfSnapshot.Location, ImageFormat.Raw));
        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => Driver.ImportAsync(sr, snapshotUuid, new MemoryStream(original), ImageFormat.Raw, null, Ct));
        Assert.Equal(XenErrors.VdiReadOnly, failure.Code);
    }

    [Fact]
    public async Task DestroyVdiAsync_BothChildrenOfABase_BaseIsCollectedWithTheLast()
    {
        var sr = await NewSrAsync();
        var source = Guid.NewGuid().ToString();
        var clone = Guid.NewGuid().ToString();
        await Driver.CreateVdiAsync(sr, source, 8L * MiB, Ct);
        await Driver.CloneVdiAsync(sr, source, clone, Ct);

        await Driver.DestroyVdiAsync(sr, clone, Ct);
        var afterFirst = await Driver.ScanAsync(sr, Ct);
        await Driver.DestroyVdiAsync(sr, source, Ct);

        Assert.Equal(2, afterFirst.Count);
        Assert.Contains(afterFirst, v => v.Hidden);
        Assert.Empty(await Driver.ScanAsync(sr, Ct));
        Assert.Empty(FilesOnSubstrate(sr));
    }

    [Fact]
    public async Task DestroyVdiAsync_SnapshotWithAClone_BecomesHiddenAndCloneStillReadsIt()
    {
        var sr = await NewSrAsync();
        var source = Guid.NewGuid().ToString();
        await Driver.CreateVdiAsync(sr, source, 8L * MiB, Ct);
        var data = TestImages.Raw(8 * MiB, 5);
        await Driver.ImportAsync(sr, source, new MemoryStream(data), ImageFormat.Raw, null, Ct);
        var snapshot = Guid.NewGuid().ToString();
        await Driver.SnapshotVdiAsync(sr, source, snapshot, Ct);
        var clone = (await Driver.CloneVdiAsync(sr, snapshot, Guid.NewGuid().ToString(), Ct)).Location;

        await Driver.DestroyVdiAsync(sr, snapshot, Ct);

        var vdis = (await Driver.ScanAsync(sr, Ct)).ToDictionary(v => v.Location);
        Assert.True(vdis[snapshot].Hidden);
        Assert.Equal(data, await ExportAsync(sr, clone, ImageFormat.Raw));
    }

    [Fact]
    public async Task DestroyVdiAsync_AlreadyGone_Succeeds()
    {
        var sr = await NewSrAsync();

        await Driver.DestroyVdiAsync(sr, Guid.NewGuid().ToString(), Ct);

        Assert.Empty(await Driver.ScanAsync(sr, Ct));
    }

    [Fact]
    public async Task ScanAsync_Qcow2CreatedByQemuImgOutsideTheAgent_IsFound()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await Tools.RunAsync("qemu-img", "create", "-q", "-f", "qcow2", ExternalName(sr, $"{uuid}.qcow2"), "48M");
        await Tools.RunAsync("qemu-img", "create", "-q", "-f", "qcow2", ExternalName(sr, "debian-12.qcow2"), "32M");

        var vdis = (await Driver.ScanAsync(sr, Ct)).ToDictionary(v => v.Location);

        Assert.Equal(48L * MiB, vdis[uuid].VirtualSize);
        Assert.Equal(32L * MiB, vdis["debian-12"].VirtualSize);
        Assert.Null(vdis[uuid].ParentLocation);
        Assert.False(vdis[uuid].ReadOnly);
    }

    [Fact]
    public async Task ScanAsync_Sizes_AreTheOnesQemuImgReports()
    {
        // Scans read the qcow2 header and the file's allocation directly (no process per VDI); the numbers must be
        // qemu-img's virtual-size and actual-size.
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await Driver.CreateVdiAsync(sr, uuid, 12L * MiB, Ct);
        await Driver.ImportAsync(sr, uuid, new MemoryStream(TestImages.Raw(6 * MiB, 17)), ImageFormat.Raw, null, Ct);

        var scanned = Assert.Single(await Driver.ScanAsync(sr, Ct));
        var info = await Tools.QemuImg.InfoAsync(ExternalName(sr, $"{uuid}.qcow2"), "qcow2", shared: true, untrusted: false, Ct);

        Assert.Equal(info.VirtualSize, scanned.VirtualSize);
        Assert.Equal(info.ActualSize, scanned.PhysicalUtilisation);
    }

    [Fact]
    public async Task ScanAsync_FileThatIsNotQcow2_IsSkipped()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await Tools.RunAsync("qemu-img", "create", "-q", "-f", "raw", ExternalName(sr, $"{uuid}.qcow2"), "1M");

        Assert.Empty(await Driver.ScanAsync(sr, Ct));
    }

    [Fact]
    public async Task CreateVdiAsync_LargerThanTheFreeSpace_SrFullAndNothingLeftBehind()
    {
        var sr = await NewSrAsync();
        var before = FilesOnSubstrate(sr);
        const long onePetabyte = 1L << 50;

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => Driver.CreateVdiAsync(sr, Guid.NewGuid().ToString(), onePetabyte, Ct));

        Assert.Equal(XenErrors.SrFull, failure.Code);
        Assert.Equal(onePetabyte.ToString(System.Globalization.CultureInfo.InvariantCulture), failure.Parameters[0]);
        Assert.True(long.Parse(failure.Parameters[1], System.Globalization.CultureInfo.InvariantCulture) < onePetabyte);
        Assert.Equal(before, FilesOnSubstrate(sr));
        Assert.Empty(await Driver.ScanAsync(sr, Ct));
    }

    [Theory]
    [InlineData("raw")]
    [InlineData("vhd")]
    [InlineData("qcow2")]
    public async Task ImportAsync_Image_ExportRawReturnsTheSameBytes(string formatName)
    {
        var format = Enum.Parse<ImageFormat>(formatName, ignoreCase: true);
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await Driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);
        var raw = TestImages.Raw(8 * MiB, 6);
        var image = format switch
        {
            ImageFormat.Raw => raw,
            ImageFormat.Vhd => await TestImages.ConvertAsync(raw, "vpc", Scratch),
            _ => await TestImages.ConvertAsync(raw, "qcow2", Scratch),
        };
        var progress = new List<long>();

        await Driver.ImportAsync(sr, uuid, new MemoryStream(image), format, new SynchronousProgress(progress), Ct);

        Assert.Equal(raw, await ExportAsync(sr, uuid, ImageFormat.Raw));
        Assert.Equal(image.Length, progress[^1]);
        Assert.Null(Assert.Single(await Driver.ScanAsync(sr, Ct)).UnusableReason);
        Assert.DoesNotContain(FilesOnSubstrate(sr), name => name.StartsWith('.'));
    }

    [Theory]
    [InlineData("vhd")]
    [InlineData("qcow2")]
    public async Task ExportAsync_Format_ImportsBackIntoAnotherVdiUnchanged(string formatName)
    {
        var format = Enum.Parse<ImageFormat>(formatName, ignoreCase: true);
        var sr = await NewSrAsync();
        var first = Guid.NewGuid().ToString();
        var second = Guid.NewGuid().ToString();
        await Driver.CreateVdiAsync(sr, first, 8L * MiB, Ct);
        await Driver.CreateVdiAsync(sr, second, 8L * MiB, Ct);
        var raw = TestImages.Raw(8 * MiB, 7);
        await Driver.ImportAsync(sr, first, new MemoryStream(raw), ImageFormat.Raw, null, Ct);

        var exported = await ExportAsync(sr, first, format);
        await Driver.ImportAsync(sr, second, new MemoryStream(exported), format, null, Ct);

        Assert.Equal(raw, await ExportAsync(sr, second, ImageFormat.Raw));
        Assert.DoesNotContain(FilesOnSubstrate(sr), name => name.StartsWith('.'));
    }

    [Fact]
    public async Task ImportAsync_StreamCutOffMidway_FailsAndMarksTheVdiUnusableUntilAFullImport()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await Driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);
        var raw = TestImages.Raw(8 * MiB, 8);

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => Driver.ImportAsync(sr, uuid, new CutOffStream(raw, 5 * MiB), ImageFormat.Raw, null, Ct));
        var marked = Assert.Single(await Driver.ScanAsync(sr, Ct));
        await Driver.ImportAsync(sr, uuid, new MemoryStream(raw), ImageFormat.Raw, null, Ct);
        var repaired = Assert.Single(await Driver.ScanAsync(sr, Ct));

        Assert.Equal(XenErrors.ImportErrorPrematureEof, failure.Code);
        Assert.NotNull(marked.UnusableReason);
        Assert.Contains("cut off", marked.UnusableReason);
        Assert.Null(repaired.UnusableReason);
        Assert.Equal(raw, await ExportAsync(sr, uuid, ImageFormat.Raw));
        Assert.DoesNotContain(FilesOnSubstrate(sr), name => name.StartsWith('.'));
    }

    [Theory]
    [InlineData("vhd")]
    [InlineData("qcow2")]
    public async Task ImportAsync_TruncatedImageThatEndsCleanly_PrematureEofAndUnusable(string formatName)
    {
        var format = Enum.Parse<ImageFormat>(formatName, ignoreCase: true);
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await Driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);
        var image = await TestImages.ConvertAsync(TestImages.Raw(8 * MiB, 9), format == ImageFormat.Vhd ? "vpc" : "qcow2", Scratch);
        var truncated = image.AsSpan(0, image.Length / 2).ToArray();

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => Driver.ImportAsync(sr, uuid, new MemoryStream(truncated), format, null, Ct));

        Assert.Equal(XenErrors.ImportErrorPrematureEof, failure.Code);
        Assert.NotNull(Assert.Single(await Driver.ScanAsync(sr, Ct)).UnusableReason);
        Assert.DoesNotContain(FilesOnSubstrate(sr), name => name.StartsWith('.'));
    }

    [Fact]
    public async Task ImportAsync_Qcow2WithABackingFile_RefusedSoNoHostFileIsRead()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await Driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);
        var hostFile = Scratch.Combine("secret.raw");
        await File.WriteAllBytesAsync(hostFile, TestImages.Raw(1 * MiB, 10), Ct);
        var evil = Scratch.Combine("evil.qcow2");
        await Tools.RunAsync("qemu-img", "create", "-q", "-f", "qcow2", "-b", hostFile, "-F", "raw", evil, "8M");

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() =>
            Driver.ImportAsync(sr, uuid, new MemoryStream(File.ReadAllBytes(evil)), ImageFormat.Qcow2, null, Ct));

        Assert.Equal(XenErrors.ImportErrorGeneric, failure.Code);
        Assert.Contains("backing file", failure.Parameters[0]);
        Assert.False((await ExportAsync(sr, uuid, ImageFormat.Raw)).AsSpan().ContainsAnyExcept((byte)0));
    }

    [Fact]
    public async Task ImportAsync_RawLargerThanTheVdi_VdiTooSmallAndNoTemporaryFileLeft()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await Driver.CreateVdiAsync(sr, uuid, 4L * MiB, Ct);

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() =>
            Driver.ImportAsync(sr, uuid, new MemoryStream(TestImages.Raw(6 * MiB, 11)), ImageFormat.Raw, null, Ct));

        Assert.Equal(XenErrors.VdiTooSmall, failure.Code);
        Assert.Equal(uuid, failure.Parameters[0]);
        Assert.DoesNotContain(FilesOnSubstrate(sr), name => name.StartsWith('.'));
    }

    [Fact]
    public async Task ImportAsync_VhdWithALargerVirtualSize_VdiTooSmall()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await Driver.CreateVdiAsync(sr, uuid, 4L * MiB, Ct);
        var vhd = await TestImages.ConvertAsync(TestImages.Raw(8 * MiB, 12), "vpc", Scratch);

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => Driver.ImportAsync(sr, uuid, new MemoryStream(vhd), ImageFormat.Vhd, null, Ct));

        Assert.Equal(XenErrors.VdiTooSmall, failure.Code);
        Assert.Equal((8L * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture), failure.Parameters[1]);
    }

    [Fact]
    public async Task ImportAsync_Cancelled_VdiMarkedUnusable()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await Driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var progress = new CancelAfter(cancellation, 2 * MiB);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Driver.ImportAsync(sr, uuid, new MemoryStream(TestImages.Raw(8 * MiB, 13)), ImageFormat.Raw, progress, cancellation.Token));

        Assert.Contains("cancelled", Assert.Single(await Driver.ScanAsync(sr, Ct)).UnusableReason);
        Assert.DoesNotContain(FilesOnSubstrate(sr), name => name.StartsWith('.'));
    }

    [Fact]
    public async Task ImportAsync_LocationWithAPath_VdiMissing()
    {
        var sr = await NewSrAsync();

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() =>
            Driver.ImportAsync(sr, "../../etc/passwd", new MemoryStream([1, 2, 3]), ImageFormat.Raw, null, Ct));

        Assert.Equal(XenErrors.VdiMissing, failure.Code);
        Assert.Equal(new[] { sr.Uuid, "../../etc/passwd" }, failure.Parameters);
    }

    [Fact]
    public async Task Locate_Vdi_QemuImgOpensIt()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await Driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);

        var locator = Driver.Locate(sr, uuid);
        var info = await Tools.QemuImg.InfoAsync(locator.Path, locator.Format, shared: true, untrusted: false, Ct);

        Assert.Equal("qcow2", locator.Format);
        Assert.Equal(ExternalName(sr, $"{uuid}.qcow2"), locator.Path);
        Assert.Equal(8L * MiB, info.VirtualSize);
    }

    [Fact]
    public async Task DestroyAsync_WithVdis_SrNotEmpty_ThenEmpty_RemovesTheDirectory()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await Driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => Driver.DestroyAsync(sr, Ct));
        await Driver.DestroyVdiAsync(sr, uuid, Ct);
        await Driver.DetachAsync(sr, Ct);
        await Driver.DestroyAsync(sr, Ct);

        Assert.Equal("SR_BACKEND_FAILURE_39", failure.Code);
        Assert.False(SubstrateDirectoryExists(sr));
    }

    private protected abstract bool SubstrateDirectoryExists(SrContext sr);

    private protected async Task<byte[]> ExportAsync(SrContext sr, string location, ImageFormat format)
    {
        using var buffer = new MemoryStream();
        await Driver.ExportAsync(sr, location, buffer, format, Ct);
        return buffer.ToArray();
    }

    /// <summary>Records progress synchronously (Progress&lt;T&gt; posts to the thread pool and could be observed late).</summary>
    private sealed class SynchronousProgress(List<long> values) : IProgress<long>
    {
        public void Report(long value) => values.Add(value);
    }

    /// <summary>Cancels the import once it has taken in <paramref name="bytes"/>.</summary>
    private sealed class CancelAfter(CancellationTokenSource source, long bytes) : IProgress<long>
    {
        public void Report(long value)
        {
            if (value >= bytes)
            {
                source.Cancel();
            }
        }
    }
}
