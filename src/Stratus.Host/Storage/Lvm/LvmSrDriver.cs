using System.Globalization;
using Stratus.Host.Processes;
using Stratus.Host.Storage.Images;
using Stratus.XenApi;

namespace Stratus.Host.Storage.Lvm;

/// <summary>
/// The <c>lvm</c> SR: a volume group <c>VG_XenStorage-&lt;sr-uuid&gt;</c> on device-config:device (one device or a
/// comma-separated list, as xapi takes it), each VDI a raw logical volume <c>LV-&lt;vdi-uuid&gt;</c> that QEMU opens
/// as a block device. Built on the lvm2 command-line tools (through <see cref="ICommandRunner"/>, so tests can check
/// the exact command sequence); sizes come from vgs and lvs in bytes.
/// <list type="bullet">
/// <item>Thick provisioning: an LV holds its whole size, rounded up to the VG's extent size. VDI.create refuses with
/// SR_FULL [requested, free] before any lvcreate when the VG's free space is smaller.</item>
/// <item>A new LV (and the grown tail of a resized one) is zeroed with <c>blkdiscard --zeroout</c>: the extents may
/// hold a destroyed VDI's data, which a new owner must never read.</item>
/// <item>Clone and snapshot are full copies (qemu-img convert, device to device), not LVM snapshots: a thick LVM
/// snapshot has a fixed copy-on-write area and becomes invalid when it fills, and its life is tied to its origin,
/// neither of which fits a VDI. A snapshot LV is made read-only (lvchange -p r). No VDI has a parent.</item>
/// <item>Imports and exports work on every SR type, this one included: raw streams straight into or out of the LV;
/// VHD and qcow2 go through a temporary file under the agent's data directory (a VG has no file system to hold one).
/// An import tags the LV <c>stratus_unusable=in_progress</c> before the first byte and removes the tag only when it
/// completes; a failure leaves a tag that says why.</item>
/// </list>
/// </summary>
internal sealed partial class LvmSrDriver : ISrDriver
{
    public const string VgPrefix = "VG_XenStorage-";
    public const string LvPrefix = "LV-";
    private const string UnusableTag = "stratus_unusable";
    private readonly ICommandRunner _runner;
    private readonly QemuImg _qemuImg;
    private readonly ILogger<LvmSrDriver> _logger;
    private readonly string _deviceRoot;
    private readonly KeyedLock _locks = new();

    /// <param name="runner">Runs the lvm2 tools, blkdiscard and qemu-img.</param>
    /// <param name="qemuImg">qemu-img over the same runner.</param>
    /// <param name="logger">Where cleanup failures and failed imports are reported.</param>
    /// <param name="deviceRoot">Where LVM puts <c>VG/LV</c> device nodes: <c>/dev</c> (tests point it elsewhere).</param>
    public LvmSrDriver(ICommandRunner runner, QemuImg qemuImg, ILogger<LvmSrDriver> logger, string deviceRoot = "/dev")
    {
        _runner = runner;
        _qemuImg = qemuImg;
        _logger = logger;
        _deviceRoot = deviceRoot;
    }

    public string Type => "lvm";

    public IReadOnlyDictionary<string, string> Configuration { get; } = new Dictionary<string, string>
    {
        ["device"] = "block device(s) for the volume group, comma-separated (required; their contents are destroyed by SR.create)",
    };

    public static string VolumeGroupOf(SrContext sr) => VgPrefix + sr.Uuid;

    public async Task<SrCapacity> CreateAsync(SrContext sr, CancellationToken cancellationToken)
    {
        var devices = DevicesOf(sr);
        foreach (var device in devices)
        {
            if (!File.Exists(device))
            {
                throw SmError.InvalidDev.Failure($"Device {device} does not exist");
            }
        }

        var vg = VolumeGroupOf(sr);
        var created = new List<string>();
        try
        {
            foreach (var device in devices)
            {
                await LvmAsync(SmError.LvmCreate, "pvcreate", ["-ff", "-y", "--metadatasize", "10M", device], cancellationToken);
                created.Add(device);
            }

            await LvmAsync(SmError.LvmCreate, "vgcreate", ["--metadatasize", "10M", vg, .. devices], cancellationToken);
        }
        catch (Exception) when (created.Count > 0)
        {
            foreach (var device in created)
            {
                await QuietlyAsync("pvremove", ["-ff", "-y", device]);
            }

            throw;
        }

        return (await VolumeGroupAsync(vg, cancellationToken)).Capacity;
    }

    public async Task<SrCapacity> AttachAsync(SrContext sr, CancellationToken cancellationToken)
    {
        var vg = VolumeGroupOf(sr);
        await LvmAsync(SmError.LvmMount, "vgchange", ["-ay", vg], cancellationToken);
        return (await VolumeGroupAsync(vg, cancellationToken)).Capacity;
    }

    public Task DetachAsync(SrContext sr, CancellationToken cancellationToken) =>
        LvmAsync(SmError.LvmMount, "vgchange", ["-an", VolumeGroupOf(sr)], cancellationToken);

    public async Task DestroyAsync(SrContext sr, CancellationToken cancellationToken)
    {
        var vg = VolumeGroupOf(sr);
        var volumes = await VolumesAsync(vg, cancellationToken);
        if (volumes is null)
        {
            return;
        }

        if (volumes.Count > 0)
        {
            throw SmError.SrNotEmpty.Failure($"{volumes.Count} logical volume(s) remain in {vg}: {string.Join(", ", volumes.Take(5).Select(v => v.Name))}");
        }

        await LvmAsync(SmError.LvmDelete, "vgremove", ["-f", vg], cancellationToken);
        foreach (var device in DevicesOf(sr))
        {
            await LvmAsync(SmError.LvmDelete, "pvremove", ["-ff", "-y", device], cancellationToken);
        }
    }

    public async Task<SrCapacity> GetCapacityAsync(SrContext sr, CancellationToken cancellationToken) =>
        (await VolumeGroupAsync(VolumeGroupOf(sr), cancellationToken)).Capacity;

    public async Task<IReadOnlyList<VdiInfo>> ScanAsync(SrContext sr, CancellationToken cancellationToken)
    {
        var vg = VolumeGroupOf(sr);
        var volumes = await VolumesAsync(vg, cancellationToken) ?? throw SmError.SrScan.Failure($"volume group {vg} not found");
        return [.. volumes.Where(v => v.Name.StartsWith(LvPrefix, StringComparison.Ordinal) && VdiLocation.IsValid(v.Name[LvPrefix.Length..]))
            .Select(v => v.Info).OrderBy(v => v.Location, StringComparer.Ordinal)];
    }

    public async Task<VdiInfo> CreateVdiAsync(SrContext sr, string vdiUuid, long virtualSize, CancellationToken cancellationToken)
    {
        var location = CheckedLocation(sr, vdiUuid);
        if (virtualSize < 0)
        {
            throw SmError.VdiSize.Failure($"virtual size {virtualSize} is negative");
        }

        var vg = VolumeGroupOf(sr);
        using var held = await _locks.AcquireAsync(sr.Uuid, cancellationToken);
        var group = await VolumeGroupAsync(vg, cancellationToken);
        var size = group.RoundUp(Math.Max(virtualSize, 1));
        if (size > group.Free)
        {
            throw new XenApiFailure(XenErrors.SrFull, Bytes(virtualSize), Bytes(group.Free));
        }

        var lv = await CreateVolumeAsync(vg, location, size, group.Free, SmError.VdiCreate, cancellationToken);
        try
        {
            await ZeroAsync(vg, lv, 0, size, cancellationToken);
        }
        catch (Exception)
        {
            await QuietlyAsync("lvremove", ["-f", $"{vg}/{lv}"]);
            throw;
        }

        return await DescribeAsync(sr, location, cancellationToken);
    }

    public async Task DestroyVdiAsync(SrContext sr, string location, CancellationToken cancellationToken)
    {
        location = CheckedLocation(sr, location);
        var vg = VolumeGroupOf(sr);
        using var held = await _locks.AcquireAsync(sr.Uuid, cancellationToken);
        if (await FindAsync(vg, location, cancellationToken) is null)
        {
            return;
        }

        await LvmAsync(SmError.LvmDelete, "lvremove", ["-f", $"{vg}/{LvPrefix}{location}"], cancellationToken);
    }

    public async Task<VdiInfo> ResizeVdiAsync(SrContext sr, string location, long newSize, CancellationToken cancellationToken)
    {
        location = CheckedLocation(sr, location);
        var vg = VolumeGroupOf(sr);
        using var held = await _locks.AcquireAsync(sr.Uuid, cancellationToken);
        var current = await DescribeAsync(sr, location, cancellationToken);
        if (current.ReadOnly)
        {
            throw new XenApiFailure(XenErrors.VdiReadOnly, location);
        }

        if (newSize < current.VirtualSize)
        {
            throw SmError.VdiSize.Failure($"shrinking a VDI is not supported ({current.VirtualSize} to {newSize} bytes)");
        }

        var group = await VolumeGroupAsync(vg, cancellationToken);
        var size = group.RoundUp(newSize);
        if (size == current.VirtualSize)
        {
            return current;
        }

        if (size - current.VirtualSize > group.Free)
        {
            throw new XenApiFailure(XenErrors.SrFull, Bytes(newSize - current.VirtualSize), Bytes(group.Free));
        }

        var lv = LvPrefix + location;
        await LvmAsync(SmError.LvmResize, "lvextend", ["-L", $"{Bytes(size)}b", $"{vg}/{lv}"], cancellationToken);
        await ZeroAsync(vg, lv, current.VirtualSize, size - current.VirtualSize, cancellationToken);
        return await DescribeAsync(sr, location, cancellationToken);
    }

    public Task<VdiInfo> CloneVdiAsync(SrContext sr, string location, string newUuid, CancellationToken cancellationToken) =>
        CopyAsync(sr, location, newUuid, snapshot: false, cancellationToken);

    public Task<VdiInfo> SnapshotVdiAsync(SrContext sr, string location, string newUuid, CancellationToken cancellationToken) =>
        CopyAsync(sr, location, newUuid, snapshot: true, cancellationToken);

    public async Task ImportAsync(SrContext sr, string location, Stream source, ImageFormat format, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        location = CheckedLocation(sr, location);
        var vg = VolumeGroupOf(sr);
        var volume = await FindAsync(vg, location, cancellationToken) ?? throw new XenApiFailure(XenErrors.VdiMissing, sr.Uuid, location);
        if (volume.Info.ReadOnly)
        {
            throw new XenApiFailure(XenErrors.VdiReadOnly, location);
        }

        var lv = $"{vg}/{volume.Name}";
        await SetUnusableAsync(lv, volume.Tags, "in_progress", cancellationToken);
        string? temporary = null;
        try
        {
            var device = DevicePath(vg, volume.Name);
            if (format == ImageFormat.Raw)
            {
                await using var target = new FileStream(device, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1, useAsync: true);
                await ImageCopy.CopyInAsync(source, target, volume.Info.VirtualSize, skipZeros: false, TooLarge(location), progress, cancellationToken);
                target.Flush(flushToDisk: true);
            }
            else
            {
                temporary = TemporaryFile(sr, "import", format);
                long received;
                await using (var target = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1, useAsync: true))
                {
                    received = await ImageCopy.CopyInAsync(source, target, (2 * volume.Info.VirtualSize) + (64L << 20), skipZeros: true, TooLarge(location), progress, cancellationToken);
                }

                await UploadChecks.ValidateAsync(_qemuImg, temporary, format, received, volume.Info.VirtualSize, location, cancellationToken);
                await _qemuImg.ConvertAsync(temporary, format.QemuName(), device, "raw", intoExisting: true, [], cancellationToken);
            }

            await LvmAsync(SmError.LvmWrite, "lvchange", ["--deltag", $"{UnusableTag}=in_progress", lv], cancellationToken);
        }
        catch (Exception exception)
        {
            var code = UnusableCode(exception);
            LogImportFailed(_logger, location, sr.Uuid, ImportFailures.Reason(exception));
            await QuietlyAsync("lvchange", ["--deltag", $"{UnusableTag}=in_progress", "--addtag", $"{UnusableTag}={code}", lv]);
            throw ImportFailures.Map(exception, volume.Info.VirtualSize, await FreeQuietlyAsync(vg));
        }
        finally
        {
            if (temporary is not null)
            {
                File.Delete(temporary);
            }
        }
    }

    public async Task ExportAsync(SrContext sr, string location, Stream target, ImageFormat format, CancellationToken cancellationToken)
    {
        location = CheckedLocation(sr, location);
        var vg = VolumeGroupOf(sr);
        var volume = await FindAsync(vg, location, cancellationToken) ?? throw new XenApiFailure(XenErrors.VdiMissing, sr.Uuid, location);
        var device = DevicePath(vg, volume.Name);
        if (format == ImageFormat.Raw)
        {
            await using var image = new FileStream(device, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, useAsync: true);
            await ImageCopy.CopyOutAsync(image, target, volume.Info.VirtualSize, cancellationToken);
            return;
        }

        var temporary = TemporaryFile(sr, "export", format);
        try
        {
            await _qemuImg.ConvertAsync(device, "raw", temporary, format.QemuName(), intoExisting: false, format.ExportOptions(), cancellationToken);
            await using var image = new FileStream(temporary, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
            await ImageCopy.CopyOutAsync(image, target, count: null, cancellationToken);
        }
        catch (Exception exception) when (StorageFaults.IsNoSpace(exception))
        {
            throw new XenApiFailure(XenErrors.SrFull, Bytes(volume.Info.VirtualSize), "0");
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The LV's device node, raw: QEMU opens it with its host_device driver.</summary>
    public DiskLocator Locate(SrContext sr, string location) =>
        new(DevicePath(VolumeGroupOf(sr), LvPrefix + CheckedLocation(sr, location)), "raw");

    private async Task<VdiInfo> CopyAsync(SrContext sr, string location, string newUuid, bool snapshot, CancellationToken cancellationToken)
    {
        location = CheckedLocation(sr, location);
        var newLocation = CheckedLocation(sr, newUuid);
        var error = snapshot ? SmError.VdiSnapshot : SmError.VdiClone;
        var vg = VolumeGroupOf(sr);
        using var held = await _locks.AcquireAsync(sr.Uuid, cancellationToken);
        var source = await FindAsync(vg, location, cancellationToken) ?? throw new XenApiFailure(XenErrors.VdiMissing, sr.Uuid, location);
        var group = await VolumeGroupAsync(vg, cancellationToken);
        if (source.Info.VirtualSize > group.Free)
        {
            throw new XenApiFailure(XenErrors.SrFull, Bytes(source.Info.VirtualSize), Bytes(group.Free));
        }

        var lv = await CreateVolumeAsync(vg, newLocation, source.Info.VirtualSize, group.Free, error, cancellationToken);
        try
        {
            await _qemuImg.ConvertAsync(DevicePath(vg, source.Name), "raw", DevicePath(vg, lv), "raw", intoExisting: true, [], cancellationToken);
            List<string> change = [];
            if (snapshot)
            {
                change.AddRange(["-p", "r"]);
            }

            change.AddRange(source.Tags.Where(t => t.StartsWith(UnusableTag + "=", StringComparison.Ordinal)).SelectMany(t => new[] { "--addtag", t }));
            if (change.Count > 0)
            {
                await LvmAsync(error, "lvchange", [.. change, $"{vg}/{lv}"], cancellationToken);
            }
        }
        catch (Exception exception)
        {
            await QuietlyAsync("lvremove", ["-f", $"{vg}/{lv}"]);
            throw exception switch
            {
                XenApiFailure or OperationCanceledException => exception,
                CommandFailedException failed => error.Failure($"copy of {source.Name} failed", failed.Detail),
                _ => error.Failure(exception.Message),
            };
        }

        return await DescribeAsync(sr, newLocation, cancellationToken);
    }

    /// <summary>lvcreate; "insufficient free space" (another writer got there first) is SR_FULL, anything else <paramref name="error"/>.</summary>
    private async Task<string> CreateVolumeAsync(string vg, string location, long size, long free, SmError error, CancellationToken cancellationToken)
    {
        var lv = LvPrefix + location;
        var result = await _runner.RunAsync("lvcreate", ["-y", "-W", "y", "-n", lv, "-L", $"{Bytes(size)}b", vg], cancellationToken);
        if (!result.Succeeded)
        {
            var failed = new CommandFailedException(result);
            throw StorageFaults.IsNoSpace(failed) ? new XenApiFailure(XenErrors.SrFull, Bytes(size), Bytes(free)) : error.Failure($"lvcreate {vg}/{lv} failed", failed.Detail);
        }

        return lv;
    }

    private Task ZeroAsync(string vg, string lv, long offset, long length, CancellationToken cancellationToken) =>
        LvmAsync(SmError.LvmWrite, "blkdiscard", ["--zeroout", "--offset", Bytes(offset), "--length", Bytes(length), DevicePath(vg, lv)], cancellationToken);

    private async Task SetUnusableAsync(string lv, IReadOnlyList<string> tags, string code, CancellationToken cancellationToken)
    {
        List<string> arguments = [.. tags.Where(t => t.StartsWith(UnusableTag + "=", StringComparison.Ordinal)).SelectMany(t => new[] { "--deltag", t })];
        arguments.AddRange(["--addtag", $"{UnusableTag}={code}", lv]);
        await LvmAsync(SmError.LvmWrite, "lvchange", arguments, cancellationToken);
    }

    private async Task<VdiInfo> DescribeAsync(SrContext sr, string location, CancellationToken cancellationToken) =>
        (await FindAsync(VolumeGroupOf(sr), location, cancellationToken))?.Info ?? throw new XenApiFailure(XenErrors.VdiMissing, sr.Uuid, location);

    private async Task<Volume?> FindAsync(string vg, string location, CancellationToken cancellationToken)
    {
        var volumes = await VolumesAsync(vg, cancellationToken) ?? throw SmError.SrUnavailable.Failure($"volume group {vg} not found");
        return volumes.FirstOrDefault(v => v.Name == LvPrefix + location);
    }

    /// <summary>lvs of the VG; null when the VG does not exist.</summary>
    private async Task<IReadOnlyList<Volume>?> VolumesAsync(string vg, CancellationToken cancellationToken)
    {
        var result = await _runner.RunAsync("lvs", ["--noheadings", "--nosuffix", "--units", "b", "--separator", ":", "-o", "lv_name,lv_size,lv_attr,lv_tags", vg], cancellationToken);
        if (!result.Succeeded)
        {
            if (result.StandardError.Contains("not found", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            throw SmError.SrScan.Failure($"lvs {vg} failed", new CommandFailedException(result).Detail);
        }

        var volumes = new List<Volume>();
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(':');
            if (fields.Length < 4 || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                continue;
            }

            var tags = fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries);
            var readOnly = fields[2].Length > 1 && fields[2][1] is 'r' or 'R';
            var unusable = tags.FirstOrDefault(t => t.StartsWith(UnusableTag + "=", StringComparison.Ordinal)) is { } tag ? Describe(tag[(UnusableTag.Length + 1)..]) : null;
            var location = fields[0].StartsWith(LvPrefix, StringComparison.Ordinal) ? fields[0][LvPrefix.Length..] : fields[0];
            volumes.Add(new Volume(fields[0], tags, new VdiInfo(location, size, size, null, readOnly, false, unusable)));
        }

        return volumes;
    }

    private async Task<VolumeGroup> VolumeGroupAsync(string vg, CancellationToken cancellationToken)
    {
        var result = await _runner.RunAsync("vgs", ["--noheadings", "--nosuffix", "--units", "b", "--separator", ":", "-o", "vg_size,vg_free,vg_extent_size", vg], cancellationToken);
        if (!result.Succeeded)
        {
            throw SmError.SrUnavailable.Failure($"vgs {vg} failed", new CommandFailedException(result).Detail);
        }

        var fields = result.StandardOutput.Trim().Split(':');
        if (fields.Length < 3 || !long.TryParse(fields[0], CultureInfo.InvariantCulture, out var size)
            || !long.TryParse(fields[1], CultureInfo.InvariantCulture, out var free) || !long.TryParse(fields[2], CultureInfo.InvariantCulture, out var extent))
        {
            throw SmError.SrUnavailable.Failure($"vgs {vg} printed '{result.StandardOutput.Trim()}'");
        }

        return new VolumeGroup(size, free, extent);
    }

    private async Task<long> FreeQuietlyAsync(string vg)
    {
        try
        {
            return (await VolumeGroupAsync(vg, CancellationToken.None)).Free;
        }
        catch (XenApiFailure)
        {
            return 0;
        }
    }

    private async Task LvmAsync(SmError error, string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await _runner.RunAsync(tool, arguments, cancellationToken);
        if (!result.Succeeded)
        {
            throw error.Failure($"{tool} failed", new CommandFailedException(result).Detail);
        }
    }

    /// <summary>Best-effort cleanup after a failure: the original error is the one the caller needs to see.</summary>
    private async Task QuietlyAsync(string tool, IReadOnlyList<string> arguments)
    {
        var result = await _runner.RunAsync(tool, arguments, CancellationToken.None);
        if (!result.Succeeded)
        {
            LogCleanupFailed(_logger, result.CommandLine, new CommandFailedException(result).Detail);
        }
    }

    private string DevicePath(string vg, string lv) => Path.Join(_deviceRoot, vg, lv);

    private static string TemporaryFile(SrContext sr, string purpose, ImageFormat format)
    {
        var directory = Path.Join(sr.DataDirectory, "tmp");
        Directory.CreateDirectory(directory);
        return Path.Join(directory, $"stratus-{purpose}-{sr.Uuid}-{Guid.NewGuid():N}{format.Suffix()}");
    }

    private static IReadOnlyList<string> DevicesOf(SrContext sr)
    {
        if (!sr.DeviceConfig.TryGetValue("device", out var value) || string.IsNullOrWhiteSpace(value))
        {
            throw SmError.ConfigDeviceMissing.Failure();
        }

        return value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static string CheckedLocation(SrContext sr, string location) =>
        VdiLocation.IsValid(location) ? location : throw new XenApiFailure(XenErrors.VdiMissing, sr.Uuid, location);

    private static Func<long, Exception> TooLarge(string location) =>
        total => new XenApiFailure(XenErrors.VdiTooSmall, location, Bytes(total));

    /// <summary>The tag value for a failed import (LVM tags allow no spaces, so a code rather than a sentence).</summary>
    private static string UnusableCode(Exception exception) => exception switch
    {
        OperationCanceledException => "cancelled",
        SourceStreamException => "cut_off",
        XenApiFailure { Code: XenErrors.ImportErrorPrematureEof } => "cut_off",
        XenApiFailure { Code: XenErrors.VdiTooSmall } => "too_large",
        XenApiFailure { Code: XenErrors.ImportErrorGeneric } => "invalid_image",
        _ when StorageFaults.IsNoSpace(exception) => "no_space",
        _ => "failed",
    };

    private static string Describe(string code) => code switch
    {
        "in_progress" => "import in progress (or the agent stopped during it)",
        "cancelled" => "import cancelled before it completed",
        "cut_off" => "import cut off: the image stream ended early",
        "too_large" => "import failed: the image is larger than the VDI",
        "invalid_image" => "import failed: the image was invalid",
        "no_space" => "import failed: no space left",
        _ => "import failed",
    };

    private static string Bytes(long value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record Volume(string Name, IReadOnlyList<string> Tags, VdiInfo Info);

    private sealed record VolumeGroup(long Size, long Free, long Extent)
    {
        public SrCapacity Capacity => new(Size, Size - Free);

        public long RoundUp(long bytes) => Extent <= 0 ? bytes : (bytes + Extent - 1) / Extent * Extent;
    }

    [LoggerMessage(EventId = 4030, Level = LogLevel.Warning, Message = "Import into VDI {Location} of SR {SrUuid} failed; the LV is tagged unusable: {Reason}")]
    private static partial void LogImportFailed(ILogger logger, string location, string srUuid, string reason);

    [LoggerMessage(EventId = 4031, Level = LogLevel.Warning, Message = "Cleanup `{CommandLine}` failed: {Reason}")]
    private static partial void LogCleanupFailed(ILogger logger, string commandLine, string reason);
}
