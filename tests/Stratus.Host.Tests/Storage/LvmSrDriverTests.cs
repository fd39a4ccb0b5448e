using Microsoft.Extensions.Logging.Abstractions;
using Stratus.Host.Storage;
using Stratus.Host.Storage.Images;
using Stratus.Host.Storage.Lvm;
using Stratus.Host.Tests.Support;
using Stratus.Testing;
using Stratus.XenApi;

namespace Stratus.Host.Tests.Storage;

/// <summary>
/// The lvm driver's command sequences, against <see cref="FakeLvm"/> (this kernel has no device-mapper, so real LVs
/// cannot be activated here; <see cref="LvmIntegrationTests"/> runs the same against lvm2 where it can). Block I/O and
/// qemu-img are real, on the fake's files.
/// </summary>
public sealed class LvmSrDriverTests : IDisposable
{
    private const int MiB = TestImages.MiB;
    private readonly TempDirectory _scratch = new();
    private readonly FakeLvm _lvm;
    private readonly LvmSrDriver _driver;
    private readonly string _device;

    public LvmSrDriverTests()
    {
        _lvm = new FakeLvm(_scratch.Combine("dev"), Tools.Runner);
        _driver = new LvmSrDriver(_lvm, new QemuImg(_lvm), NullLogger<LvmSrDriver>.Instance, _scratch.Combine("dev"));
        _device = _scratch.Combine("disk0");
        using var disk = File.Create(_device);
        disk.SetLength(256L * MiB);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task CreateAsync_Device_PvcreateVgcreateThenVgs()
    {
        var sr = Context();

        var capacity = await _driver.CreateAsync(sr, Ct);

        var vg = $"VG_XenStorage-{sr.Uuid}";
        Assert.Equal(
            [
                $"pvcreate -ff -y --metadatasize 10M {_device}",
                $"vgcreate --metadatasize 10M {vg} {_device}",
                $"vgs --noheadings --nosuffix --units b --separator : -o vg_size,vg_free,vg_extent_size {vg}",
            ],
            _lvm.Commands);
        Assert.Equal(252L * MiB, capacity.PhysicalSize);
        Assert.Equal(0, capacity.PhysicalUtilisation);
    }

    [Fact]
    public async Task CreateAsync_TwoDevices_OneVolumeGroupOverBoth()
    {
        var second = _scratch.Combine("disk1");
        await using (var disk = File.Create(second))
        {
            disk.SetLength(128L * MiB);
        }

        var sr = Context($"{_device}, {second}");

        await _driver.CreateAsync(sr, Ct);

        Assert.Contains($"vgcreate --metadatasize 10M VG_XenStorage-{sr.Uuid} {_device} {second}", _lvm.Commands);
        Assert.Equal(2, _lvm.PhysicalVolumes.Count);
    }

    [Fact]
    public async Task CreateAsync_VgcreateFails_PhysicalVolumesRemovedAndLvmCreateRaised()
    {
        var sr = Context();
        _lvm.FailWhen = ("vgcreate", "  A volume group called VG_XenStorage-x already exists.");

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.CreateAsync(sr, Ct));

        Assert.Equal("SR_BACKEND_FAILURE_50", failure.Code);
        Assert.Equal("  A volume group called VG_XenStorage-x already exists.".Trim(), failure.Parameters[2]);
        Assert.Equal($"pvremove -ff -y {_device}", _lvm.Commands[^1]);
        Assert.Empty(_lvm.PhysicalVolumes);
    }

    [Fact]
    public async Task CreateAsync_NoDeviceConfig_ConfigDeviceMissingAndNoCommand()
    {
        var sr = new SrContext(Guid.NewGuid().ToString(), "lvm", new Dictionary<string, string>(), new Dictionary<string, string>(), _scratch.Path, 0);

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.CreateAsync(sr, Ct));

        Assert.Equal("SR_BACKEND_FAILURE_90", failure.Code);
        Assert.Empty(_lvm.Commands);
    }

    [Fact]
    public async Task CreateAsync_DeviceDoesNotExist_InvalidDevAndNoCommand()
    {
        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.CreateAsync(Context("/dev/no-such-disk"), Ct));

        Assert.Equal("SR_BACKEND_FAILURE_19", failure.Code);
        Assert.Empty(_lvm.Commands);
    }

    [Fact]
    public async Task AttachAndDetach_ActivateAndDeactivateTheVolumeGroup()
    {
        var sr = await NewSrAsync();

        await _driver.AttachAsync(sr, Ct);
        await _driver.DetachAsync(sr, Ct);

        var vg = $"VG_XenStorage-{sr.Uuid}";
        Assert.Equal([$"vgchange -ay {vg}", $"vgs --noheadings --nosuffix --units b --separator : -o vg_size,vg_free,vg_extent_size {vg}", $"vgchange -an {vg}"], _lvm.Commands);
    }

    [Fact]
    public async Task CreateVdiAsync_Size_LvcreateRoundedToExtentsThenZeroed()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();

        var vdi = await _driver.CreateVdiAsync(sr, uuid, 10L * MiB, Ct);

        var vg = $"VG_XenStorage-{sr.Uuid}";
        var lv = $"LV-{uuid}";
        Assert.Equal(
            [
                $"vgs --noheadings --nosuffix --units b --separator : -o vg_size,vg_free,vg_extent_size {vg}",
                $"lvcreate -y -W y -n {lv} -L 12582912b {vg}",
                $"blkdiscard --zeroout --offset 0 --length 12582912 {_lvm.DevicePath(vg, lv)}",
                $"lvs --noheadings --nosuffix --units b --separator : -o lv_name,lv_size,lv_attr,lv_tags {vg}",
            ],
            _lvm.Commands);
        Assert.Equal(new VdiInfo(uuid, 12L * MiB, 12L * MiB), vdi);
        Assert.False((await ExportAsync(sr, uuid, ImageFormat.Raw)).AsSpan().ContainsAnyExcept((byte)0));
    }

    [Fact]
    public async Task CreateVdiAsync_MoreThanTheFreeSpace_SrFullBeforeAnyLvcreate()
    {
        var sr = await NewSrAsync();

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.CreateVdiAsync(sr, Guid.NewGuid().ToString(), 1L << 40, Ct));

        Assert.Equal(XenErrors.SrFull, failure.Code);
        Assert.Equal(new[] { (1L << 40).ToString(), (252L * MiB).ToString() }, failure.Parameters);
        Assert.DoesNotContain(_lvm.Commands, c => c.StartsWith("lvcreate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateVdiAsync_LvcreateRacesOutOfSpace_SrFull()
    {
        var sr = await NewSrAsync();
        _lvm.FailWhen = ("lvcreate", "  Volume group \"x\" has insufficient free space (1 extents): 3 required.");

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.CreateVdiAsync(sr, Guid.NewGuid().ToString(), 10L * MiB, Ct));

        Assert.Equal(XenErrors.SrFull, failure.Code);
        Assert.Empty(await _driver.ScanAsync(sr, Ct));
    }

    [Fact]
    public async Task CreateVdiAsync_ZeroingFails_LvRemovedAgain()
    {
        var sr = await NewSrAsync();
        _lvm.FailWhen = ("blkdiscard", "blkdiscard: BLKZEROOUT ioctl failed: Input/output error");
        var uuid = Guid.NewGuid().ToString();

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct));

        Assert.Equal("SR_BACKEND_FAILURE_54", failure.Code);
        Assert.Equal($"lvremove -f VG_XenStorage-{sr.Uuid}/LV-{uuid}", _lvm.Commands[^1]);
        Assert.Empty(await _driver.ScanAsync(sr, Ct));
    }

    [Fact]
    public async Task ScanAsync_VolumeGroup_ReportsLvPrefixedVolumesOnly()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await _driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);
        await _lvm.RunAsync("lvcreate", ["-n", "somebody-else", "-L", "4194304b", $"VG_XenStorage-{sr.Uuid}"], Ct);

        var vdis = await _driver.ScanAsync(sr, Ct);

        Assert.Equal(uuid, Assert.Single(vdis).Location);
    }

    [Fact]
    public async Task SnapshotVdiAsync_Source_FullCopyMadeReadOnly()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await _driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);
        var data = TestImages.Raw(8 * MiB, 20);
        await _driver.ImportAsync(sr, uuid, new MemoryStream(data), ImageFormat.Raw, null, Ct);
        var snapshot = Guid.NewGuid().ToString();
        _lvm.Commands.Clear();

        var info = await _driver.SnapshotVdiAsync(sr, uuid, snapshot, Ct);

        var vg = $"VG_XenStorage-{sr.Uuid}";
        Assert.Equal(
            [
                $"lvs --noheadings --nosuffix --units b --separator : -o lv_name,lv_size,lv_attr,lv_tags {vg}",
                $"vgs --noheadings --nosuffix --units b --separator : -o vg_size,vg_free,vg_extent_size {vg}",
                $"lvcreate -y -W y -n LV-{snapshot} -L 8388608b {vg}",
                $"qemu-img convert -U -f raw -O raw -n {_lvm.DevicePath(vg, $"LV-{uuid}")} {_lvm.DevicePath(vg, $"LV-{snapshot}")}",
                $"lvchange -p r {vg}/LV-{snapshot}",
                $"lvs --noheadings --nosuffix --units b --separator : -o lv_name,lv_size,lv_attr,lv_tags {vg}",
            ],
            _lvm.Commands);
        Assert.True(info.ReadOnly);
        Assert.Null(info.ParentLocation);
        Assert.Equal(data, await ExportAsync(sr, snapshot, ImageFormat.Raw));
    }

    [Fact]
    public async Task CloneVdiAsync_CopyFails_NewLvRemoved()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await _driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);
        var clone = Guid.NewGuid().ToString();
        File.Delete(_lvm.DevicePath($"VG_XenStorage-{sr.Uuid}", $"LV-{uuid}"));

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.CloneVdiAsync(sr, uuid, clone, Ct));

        Assert.Equal("SR_BACKEND_FAILURE_81", failure.Code);
        Assert.Equal($"lvremove -f VG_XenStorage-{sr.Uuid}/LV-{clone}", _lvm.Commands[^1]);
    }

    [Fact]
    public async Task ResizeVdiAsync_Grow_LvextendThenZeroTheNewTail()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await _driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);
        var data = TestImages.Raw(8 * MiB, 21);
        await _driver.ImportAsync(sr, uuid, new MemoryStream(data), ImageFormat.Raw, null, Ct);
        _lvm.Commands.Clear();

        var resized = await _driver.ResizeVdiAsync(sr, uuid, 16L * MiB, Ct);

        var vg = $"VG_XenStorage-{sr.Uuid}";
        Assert.Contains($"lvextend -L 16777216b {vg}/LV-{uuid}", _lvm.Commands);
        Assert.Contains($"blkdiscard --zeroout --offset 8388608 --length 8388608 {_lvm.DevicePath(vg, $"LV-{uuid}")}", _lvm.Commands);
        Assert.Equal(16L * MiB, resized.VirtualSize);
        var exported = await ExportAsync(sr, uuid, ImageFormat.Raw);
        Assert.True(exported.AsSpan(0, 8 * MiB).SequenceEqual(data));
        Assert.False(exported.AsSpan(8 * MiB).ContainsAnyExcept((byte)0));
    }

    [Fact]
    public async Task ResizeVdiAsync_Shrink_VdiSizeAndNoLvmChange()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await _driver.CreateVdiAsync(sr, uuid, 16L * MiB, Ct);

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.ResizeVdiAsync(sr, uuid, 8L * MiB, Ct));

        Assert.Equal("SR_BACKEND_FAILURE_79", failure.Code);
        Assert.DoesNotContain(_lvm.Commands, c => c.StartsWith("lvextend", StringComparison.Ordinal) || c.StartsWith("lvreduce", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DestroyVdiAsync_Lv_Lvremove()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await _driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);

        await _driver.DestroyVdiAsync(sr, uuid, Ct);

        Assert.Equal($"lvremove -f VG_XenStorage-{sr.Uuid}/LV-{uuid}", _lvm.Commands[^1]);
        Assert.Empty(await _driver.ScanAsync(sr, Ct));
    }

    [Theory]
    [InlineData("raw")]
    [InlineData("vhd")]
    [InlineData("qcow2")]
    public async Task ImportAsync_Image_TaggedDuringTheImportAndExportedRawUnchanged(string formatName)
    {
        var format = Enum.Parse<ImageFormat>(formatName, ignoreCase: true);
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await _driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);
        var raw = TestImages.Raw(8 * MiB, 22);
        var image = format switch
        {
            ImageFormat.Raw => raw,
            ImageFormat.Vhd => await TestImages.ConvertAsync(raw, "vpc", _scratch),
            _ => await TestImages.ConvertAsync(raw, "qcow2", _scratch),
        };
        _lvm.Commands.Clear();

        await _driver.ImportAsync(sr, uuid, new MemoryStream(image), format, null, Ct);

        var lv = $"VG_XenStorage-{sr.Uuid}/LV-{uuid}";
        Assert.Equal($"lvchange --addtag stratus_unusable=in_progress {lv}", _lvm.StorageCommands[1]);
        Assert.Equal($"lvchange --deltag stratus_unusable=in_progress {lv}", _lvm.StorageCommands[^1]);
        Assert.Equal(raw, await ExportAsync(sr, uuid, ImageFormat.Raw));
        Assert.Null(Assert.Single(await _driver.ScanAsync(sr, Ct)).UnusableReason);
        Assert.Empty(Directory.Exists(_scratch.Combine("tmp")) ? Directory.GetFiles(_scratch.Combine("tmp")) : []);
    }

    [Fact]
    public async Task ImportAsync_StreamCutOff_TaggedCutOffAndPrematureEof()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await _driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() =>
            _driver.ImportAsync(sr, uuid, new CutOffStream(TestImages.Raw(8 * MiB, 23), 3 * MiB), ImageFormat.Raw, null, Ct));

        Assert.Equal(XenErrors.ImportErrorPrematureEof, failure.Code);
        Assert.Equal($"lvchange --deltag stratus_unusable=in_progress --addtag stratus_unusable=cut_off VG_XenStorage-{sr.Uuid}/LV-{uuid}", _lvm.Commands[^2]);
        Assert.StartsWith("import cut off", Assert.Single(await _driver.ScanAsync(sr, Ct)).UnusableReason);
    }

    [Fact]
    public async Task ImportAsync_AfterAFailedImport_ClearsTheOldTag()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await _driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);
        var raw = TestImages.Raw(8 * MiB, 24);
        await Assert.ThrowsAsync<XenApiFailure>(() => _driver.ImportAsync(sr, uuid, new CutOffStream(raw, MiB), ImageFormat.Raw, null, Ct));

        await _driver.ImportAsync(sr, uuid, new MemoryStream(raw), ImageFormat.Raw, null, Ct);

        Assert.Contains($"lvchange --deltag stratus_unusable=cut_off --addtag stratus_unusable=in_progress VG_XenStorage-{sr.Uuid}/LV-{uuid}", _lvm.Commands);
        Assert.Null(Assert.Single(await _driver.ScanAsync(sr, Ct)).UnusableReason);
    }

    [Fact]
    public async Task ImportAsync_RawLargerThanTheLv_VdiTooSmall()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await _driver.CreateVdiAsync(sr, uuid, 4L * MiB, Ct);

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() =>
            _driver.ImportAsync(sr, uuid, new MemoryStream(TestImages.Raw(6 * MiB, 25)), ImageFormat.Raw, null, Ct));

        Assert.Equal(XenErrors.VdiTooSmall, failure.Code);
        Assert.Equal(4L * MiB, new FileInfo(_lvm.DevicePath($"VG_XenStorage-{sr.Uuid}", $"LV-{uuid}")).Length);
    }

    [Theory]
    [InlineData("vhd")]
    [InlineData("qcow2")]
    public async Task ExportAsync_Format_ConvertsThroughATemporaryFileThatIsRemoved(string formatName)
    {
        var format = Enum.Parse<ImageFormat>(formatName, ignoreCase: true);
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await _driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);
        var raw = TestImages.Raw(8 * MiB, 26);
        await _driver.ImportAsync(sr, uuid, new MemoryStream(raw), ImageFormat.Raw, null, Ct);
        var other = Guid.NewGuid().ToString();
        await _driver.CreateVdiAsync(sr, other, 8L * MiB, Ct);

        var exported = await ExportAsync(sr, uuid, format);
        await _driver.ImportAsync(sr, other, new MemoryStream(exported), format, null, Ct);

        Assert.Equal(raw, await ExportAsync(sr, other, ImageFormat.Raw));
        Assert.Empty(Directory.GetFiles(_scratch.Combine("tmp")));
    }

    [Fact]
    public async Task DestroyAsync_WithVdis_SrNotEmpty_ThenVgremoveAndPvremove()
    {
        var sr = await NewSrAsync();
        var uuid = Guid.NewGuid().ToString();
        await _driver.CreateVdiAsync(sr, uuid, 8L * MiB, Ct);

        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => _driver.DestroyAsync(sr, Ct));
        await _driver.DestroyVdiAsync(sr, uuid, Ct);
        _lvm.Commands.Clear();
        await _driver.DestroyAsync(sr, Ct);

        var vg = $"VG_XenStorage-{sr.Uuid}";
        Assert.Equal("SR_BACKEND_FAILURE_39", failure.Code);
        Assert.Equal(
            [
                $"lvs --noheadings --nosuffix --units b --separator : -o lv_name,lv_size,lv_attr,lv_tags {vg}",
                $"vgremove -f {vg}",
                $"pvremove -ff -y {_device}",
            ],
            _lvm.Commands);
        Assert.False(_lvm.HasVolumeGroup(vg));
    }

    [Fact]
    public async Task Locate_Vdi_TheRawLogicalVolume()
    {
        var sr = await NewSrAsync();

        var locator = _driver.Locate(sr, "0b5e6c0c-3c1c-4b0a-9a53-6d1f1a1a1a1a");

        Assert.Equal(new DiskLocator(_lvm.DevicePath($"VG_XenStorage-{sr.Uuid}", "LV-0b5e6c0c-3c1c-4b0a-9a53-6d1f1a1a1a1a"), "raw"), locator);
    }

    private async Task<SrContext> NewSrAsync()
    {
        Requires.QemuImg();
        var sr = Context();
        await _driver.CreateAsync(sr, Ct);
        _lvm.Commands.Clear();
        return sr;
    }

    private SrContext Context(string? device = null) =>
        new(Guid.NewGuid().ToString(), "lvm", new Dictionary<string, string> { ["device"] = device ?? _device }, new Dictionary<string, string>(), _scratch.Path, 0);

    private async Task<byte[]> ExportAsync(SrContext sr, string location, ImageFormat format)
    {
        using var buffer = new MemoryStream();
        await _driver.ExportAsync(sr, location, buffer, format, Ct);
        return buffer.ToArray();
    }
}
