using System.Globalization;
using System.Text;
using Stratus.Host.Processes;
using Stratus.Host.Storage.Images;
using Stratus.XenApi;

namespace Stratus.Host.Storage.Files;

/// <summary>
/// VDIs as qcow2 files in one directory: the common body of the ext and nfs SRs.
/// <list type="bullet">
/// <item>A VDI is <c>&lt;location&gt;.qcow2</c>; its location is the VDI uuid for VDIs made here, the file's stem for
/// ones found by a scan.</item>
/// <item>Read-only VDIs (snapshots, base copies) have mode 0444. Two small marker files carry the rest of a VDI's
/// state on the substrate itself, so that it survives a restart and is shared by every host of an NFS SR:
/// <c>&lt;location&gt;.hidden</c> (a base copy) and <c>&lt;location&gt;.unusable</c> (an import that did not finish;
/// it holds the reason).</item>
/// <item>Clone and snapshot work as xapi's VHD SRs do: a writable source is frozen into a new hidden base copy, and
/// both the source and the copy continue as empty copy-on-write children of it. A read-only source is shared
/// directly. A VDI that is destroyed while children still depend on it becomes hidden; a hidden base with no child
/// left is deleted, up the chain.</item>
/// <item>Provisioning is thin, with one promise: VDI.create and VDI.resize are refused with SR_FULL [requested,
/// available] when the requested size (the growth, for a resize) exceeds the space free on the file system at that
/// moment. Clones and snapshots start empty and are never refused for size. Temporary files (<c>.stratus-*</c>) live
/// in the SR directory itself, never in memory.</item>
/// </list>
/// Clone and snapshot rename the source's file, so they refuse (VDI_IN_USE) an image a running QEMU holds locked; a
/// live snapshot is QMP's job (blockdev-snapshot-sync). QEMU's nfs:// driver takes no image locks, so on NFS SRs only
/// the XenAPI layer's own attachment check stands between a running VM and a rename.
/// </summary>
internal sealed partial class QcowSr(IFileStore store, QemuImg qemuImg, string srUuid, KeyedLock locks, ILogger logger)
{
    private const string Extension = ".qcow2";
    private const string HiddenSuffix = ".hidden";
    private const string UnusableSuffix = ".unusable";
    private const string TemporaryPrefix = ".stratus-";
    private const long ContainerAllowance = 64L << 20;

    public string QemuPath(string location) => store.QemuPath(FileOf(CheckedLocation(location)));

    /// <summary>statvfs of the SR's file system: physical_size and physical_utilisation as xapi's FileSR reports them.</summary>
    public async Task<SrCapacity> GetCapacityAsync(CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(cancellationToken);
        var space = await session.GetSpaceAsync(cancellationToken);
        return new SrCapacity(space.Size, space.Used);
    }

    /// <summary>Proves the directory takes writes (xapi's _check_writable): creates and removes a probe file.</summary>
    public async Task CheckWritableAsync(CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(cancellationToken);
        var probe = $"{TemporaryPrefix}probe-{Guid.NewGuid():N}";
        try
        {
            await using (await session.CreateAsync(probe, cancellationToken))
            {
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw SmError.SharedFileSystemNoWrite.Failure($"{store.Description}: {exception.Message}");
        }

        await session.DeleteAsync(probe, cancellationToken);
    }

    /// <summary>
    /// Before the SR directory goes: fails with SR_BACKEND_FAILURE_39 while VDIs remain, removes Stratus's own leftovers
    /// (markers, temporary files), and returns the names of any foreign files still there.
    /// </summary>
    public async Task<IReadOnlyList<string>> ClearForDestroyAsync(CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(cancellationToken);
        var entries = await session.ListAsync(cancellationToken);
        var vdis = entries.Where(e => e.Name.EndsWith(Extension, StringComparison.Ordinal) && !e.Name.StartsWith('.')).Select(e => e.Name).ToList();
        if (vdis.Count > 0)
        {
            throw SmError.SrNotEmpty.Failure($"{vdis.Count} VDI file(s) remain in {store.Description}: {string.Join(", ", vdis.Take(5))}");
        }

        var foreign = new List<string>();
        foreach (var entry in entries)
        {
            if (entry.Name.StartsWith(TemporaryPrefix, StringComparison.Ordinal)
                || entry.Name.EndsWith(HiddenSuffix, StringComparison.Ordinal)
                || entry.Name.EndsWith(UnusableSuffix, StringComparison.Ordinal))
            {
                await session.DeleteAsync(entry.Name, cancellationToken);
            }
            else
            {
                foreign.Add(entry.Name);
            }
        }

        return foreign;
    }

    public async Task<IReadOnlyList<VdiInfo>> ScanAsync(CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(cancellationToken);
        var graph = await LoadAsync(session, cancellationToken);
        return [.. graph.Values.Select(node => node.Info).OrderBy(info => info.Location, StringComparer.Ordinal)];
    }

    public async Task<VdiInfo> CreateVdiAsync(string uuid, long virtualSize, CancellationToken cancellationToken)
    {
        var location = CheckedLocation(uuid);
        if (virtualSize < 0)
        {
            throw SmError.VdiSize.Failure($"virtual size {virtualSize} is negative");
        }

        using var held = await locks.AcquireAsync(srUuid, cancellationToken);
        await using var session = await store.OpenAsync(cancellationToken);
        var file = FileOf(location);
        if (await session.StatAsync(file, cancellationToken) is not null)
        {
            throw SmError.VdiExists.Failure($"{store.QemuPath(file)} exists");
        }

        var space = await session.GetSpaceAsync(cancellationToken);
        if (virtualSize > space.Available)
        {
            throw new XenApiFailure(XenErrors.SrFull, Bytes(virtualSize), Bytes(space.Available));
        }

        try
        {
            await qemuImg.CreateQcow2Async(store.QemuPath(file), virtualSize, backing: null, cancellationToken);
        }
        catch (Exception exception)
        {
            await DeleteQuietlyAsync(session, file);
            throw StorageFaults.IsNoSpace(exception)
                ? new XenApiFailure(XenErrors.SrFull, Bytes(virtualSize), Bytes(space.Available))
                : Failure(SmError.VdiCreate, exception);
        }

        return await DescribeAsync(session, location, cancellationToken);
    }

    public async Task DestroyVdiAsync(string location, CancellationToken cancellationToken)
    {
        location = CheckedLocation(location);
        using var held = await locks.AcquireAsync(srUuid, cancellationToken);
        await using var session = await store.OpenAsync(cancellationToken);
        var graph = await LoadAsync(session, cancellationToken);
        if (!graph.TryGetValue(location, out var node))
        {
            // Already gone (xapi's FileSR treats a missing file the same way): nothing to do.
            await session.DeleteAsync(location + UnusableSuffix, cancellationToken);
            await session.DeleteAsync(location + HiddenSuffix, cancellationToken);
            return;
        }

        if (graph.Values.Any(other => other.Info.ParentLocation == location))
        {
            // Children still read through it: it lives on as a hidden base copy.
            await session.SetWritableAsync(node.File, writable: false, cancellationToken);
            await WriteMarkAsync(session, location + HiddenSuffix, "", cancellationToken);
            return;
        }

        await session.DeleteAsync(node.File, cancellationToken);
        await session.DeleteAsync(location + UnusableSuffix, cancellationToken);
        await session.DeleteAsync(location + HiddenSuffix, cancellationToken);
        graph.Remove(location);

        // Collect the hidden bases this was the last child of.
        var parent = node.Info.ParentLocation;
        while (parent is not null && graph.TryGetValue(parent, out var parentNode) && parentNode.Info.Hidden
            && !graph.Values.Any(other => other.Info.ParentLocation == parent))
        {
            await session.DeleteAsync(parentNode.File, cancellationToken);
            await session.DeleteAsync(parent + HiddenSuffix, cancellationToken);
            await session.DeleteAsync(parent + UnusableSuffix, cancellationToken);
            graph.Remove(parent);
            LogBaseCollected(logger, parent, srUuid);
            parent = parentNode.Info.ParentLocation;
        }
    }

    public async Task<VdiInfo> ResizeVdiAsync(string location, long newSize, CancellationToken cancellationToken)
    {
        location = CheckedLocation(location);
        using var held = await locks.AcquireAsync(srUuid, cancellationToken);
        await using var session = await store.OpenAsync(cancellationToken);
        var info = await DescribeAsync(session, location, cancellationToken);
        if (info.ReadOnly)
        {
            throw new XenApiFailure(XenErrors.VdiReadOnly, location);
        }

        if (newSize < info.VirtualSize)
        {
            throw SmError.VdiSize.Failure($"shrinking a VDI is not supported ({info.VirtualSize} to {newSize} bytes)");
        }

        if (newSize == info.VirtualSize)
        {
            return info;
        }

        var space = await session.GetSpaceAsync(cancellationToken);
        var growth = newSize - info.VirtualSize;
        if (growth > space.Available)
        {
            throw new XenApiFailure(XenErrors.SrFull, Bytes(growth), Bytes(space.Available));
        }

        try
        {
            await qemuImg.ResizeAsync(store.QemuPath(FileOf(location)), "qcow2", newSize, cancellationToken);
        }
        catch (CommandFailedException failed)
        {
            throw Failure(SmError.VdiResize, failed);
        }

        return await DescribeAsync(session, location, cancellationToken);
    }

    /// <summary>VDI.clone (<paramref name="snapshot"/> false) or VDI.snapshot (true: the new VDI is read-only).</summary>
    public async Task<VdiInfo> CopyOnWriteAsync(string location, string newUuid, bool snapshot, CancellationToken cancellationToken)
    {
        location = CheckedLocation(location);
        var newLocation = CheckedLocation(newUuid);
        var error = snapshot ? SmError.VdiSnapshot : SmError.VdiClone;
        using var held = await locks.AcquireAsync(srUuid, cancellationToken);
        await using var session = await store.OpenAsync(cancellationToken);
        var source = await DescribeAsync(session, location, cancellationToken);
        var newFile = FileOf(newLocation);
        if (await session.StatAsync(newFile, cancellationToken) is not null)
        {
            throw SmError.VdiExists.Failure($"{store.QemuPath(newFile)} exists");
        }

        if (!source.ReadOnly)
        {
            await EnsureNotOpenAsync(location, snapshot ? "snapshot" : "clone", cancellationToken);
        }

        var parent = source.ReadOnly ? location : await FreezeIntoBaseAsync(session, source, error, cancellationToken);
        try
        {
            await qemuImg.CreateQcow2Async(store.QemuPath(newFile), source.VirtualSize, store.BackingReference(FileOf(parent)), cancellationToken);
            if (snapshot)
            {
                await session.SetWritableAsync(newFile, writable: false, cancellationToken);
            }

            if (source.UnusableReason is not null)
            {
                await WriteMarkAsync(session, newLocation + UnusableSuffix, source.UnusableReason, cancellationToken);
            }
        }
        catch (Exception exception)
        {
            await DeleteQuietlyAsync(session, newFile);
            throw exception is OperationCanceledException ? exception : Failure(error, exception);
        }

        return await DescribeAsync(session, newLocation, cancellationToken);
    }

    /// <summary>
    /// Streams an image into the VDI: into a sparse temporary file in the SR, checked (<see cref="UploadChecks"/>),
    /// then converted into the VDI's own qcow2 file. The unusable mark is written before the first byte and removed
    /// only after the conversion, so an import that is cut off, fails or dies with the agent leaves it behind.
    /// </summary>
    public async Task ImportAsync(string location, Stream source, ImageFormat format, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        location = CheckedLocation(location);
        await using var session = await store.OpenAsync(cancellationToken);
        var vdi = await DescribeAsync(session, location, cancellationToken);
        if (vdi.ReadOnly)
        {
            throw new XenApiFailure(XenErrors.VdiReadOnly, location);
        }

        await EnsureNotOpenAsync(location, "import", cancellationToken);
        var space = await session.GetSpaceAsync(cancellationToken);
        var mark = location + UnusableSuffix;
        await WriteMarkAsync(session, mark, "import in progress (or the agent stopped during it)", cancellationToken);
        var temporary = $"{TemporaryPrefix}import-{Guid.NewGuid():N}{format.Suffix()}";
        try
        {
            long received;
            var limit = format == ImageFormat.Raw ? vdi.VirtualSize : (2 * vdi.VirtualSize) + ContainerAllowance;
            await using (var target = await session.CreateAsync(temporary, cancellationToken))
            {
                received = await ImageCopy.CopyInAsync(
                    source,
                    target,
                    limit,
                    skipZeros: true,
                    total => new XenApiFailure(XenErrors.VdiTooSmall, location, Bytes(total)),
                    progress,
                    cancellationToken);
            }

            await UploadChecks.ValidateAsync(qemuImg, store.QemuPath(temporary), format, received, vdi.VirtualSize, location, cancellationToken);
            await qemuImg.ConvertAsync(store.QemuPath(temporary), format.QemuName(), store.QemuPath(FileOf(location)), "qcow2", intoExisting: true, [], cancellationToken);
            await session.DeleteAsync(mark, cancellationToken);
        }
        catch (Exception exception)
        {
            var reason = ImportFailures.Reason(exception);
            LogImportFailed(logger, location, srUuid, reason);
            await ReplaceMarkQuietlyAsync(session, mark, reason);
            throw ImportFailures.Map(exception, vdi.VirtualSize, space.Available);
        }
        finally
        {
            await DeleteQuietlyAsync(session, temporary);
        }
    }

    /// <summary>Converts the VDI (its whole backing chain, flattened) into a temporary file in the SR and streams that.</summary>
    public async Task ExportAsync(string location, Stream target, ImageFormat format, CancellationToken cancellationToken)
    {
        location = CheckedLocation(location);
        await using var session = await store.OpenAsync(cancellationToken);
        var vdi = await DescribeAsync(session, location, cancellationToken);
        var temporary = $"{TemporaryPrefix}export-{Guid.NewGuid():N}{format.Suffix()}";
        try
        {
            await qemuImg.ConvertAsync(store.QemuPath(FileOf(location)), "qcow2", store.QemuPath(temporary), format.QemuName(), intoExisting: false, format.ExportOptions(), cancellationToken);
            await using var image = await session.OpenReadAsync(temporary, cancellationToken);
            await ImageCopy.CopyOutAsync(image, target, count: null, cancellationToken);
        }
        catch (Exception exception) when (StorageFaults.IsNoSpace(exception))
        {
            var space = await session.GetSpaceAsync(CancellationToken.None);
            throw new XenApiFailure(XenErrors.SrFull, Bytes(vdi.VirtualSize), Bytes(space.Available));
        }
        finally
        {
            await DeleteQuietlyAsync(session, temporary);
        }
    }

    /// <summary>
    /// VDI_IN_USE [location, operation] when a running QEMU has the image open for writing. QEMU holds OFD locks on the
    /// images it opens, and qemu-img info without <c>-U</c> fails to share them. QEMU's nfs:// driver takes no locks,
    /// so on NFS SRs this guard sees nothing: the XenAPI layer's own VDI_IN_USE check is what protects those.
    /// </summary>
    private async Task EnsureNotOpenAsync(string location, string operation, CancellationToken cancellationToken)
    {
        try
        {
            await qemuImg.InfoAsync(store.QemuPath(FileOf(location)), "qcow2", shared: false, untrusted: false, cancellationToken);
        }
        catch (CommandFailedException failed) when (failed.Detail.Contains("lock", StringComparison.OrdinalIgnoreCase))
        {
            throw new XenApiFailure(XenErrors.VdiInUse, location, operation);
        }
    }

    /// <summary>
    /// Renames the writable <paramref name="source"/> to a new hidden, read-only base copy and puts an empty child in
    /// its place under the old name, so the VDI keeps its location and contents. Undone if any step fails.
    /// </summary>
    private async Task<string> FreezeIntoBaseAsync(IFileStoreSession session, VdiInfo source, SmError error, CancellationToken cancellationToken)
    {
        var baseLocation = Guid.NewGuid().ToString();
        var sourceFile = FileOf(source.Location);
        var baseFile = FileOf(baseLocation);
        await session.RenameAsync(sourceFile, baseFile, cancellationToken);
        try
        {
            await session.SetWritableAsync(baseFile, writable: false, cancellationToken);
            await WriteMarkAsync(session, baseLocation + HiddenSuffix, "", cancellationToken);
            if (source.UnusableReason is not null)
            {
                await WriteMarkAsync(session, baseLocation + UnusableSuffix, source.UnusableReason, cancellationToken);
            }

            await qemuImg.CreateQcow2Async(store.QemuPath(sourceFile), source.VirtualSize, store.BackingReference(baseFile), cancellationToken);
            return baseLocation;
        }
        catch (Exception exception)
        {
            await DeleteQuietlyAsync(session, sourceFile);
            await DeleteQuietlyAsync(session, baseLocation + HiddenSuffix);
            await DeleteQuietlyAsync(session, baseLocation + UnusableSuffix);
            try
            {
                await session.SetWritableAsync(baseFile, writable: true, CancellationToken.None);
                await session.RenameAsync(baseFile, sourceFile, CancellationToken.None);
            }
            catch (Exception rollback)
            {
                LogRollbackFailed(logger, source.Location, srUuid, rollback.Message);
            }

            throw exception is OperationCanceledException ? exception : Failure(error, exception);
        }
    }

    private async Task<VdiInfo> DescribeAsync(IFileStoreSession session, string location, CancellationToken cancellationToken)
    {
        var file = FileOf(location);
        var entry = await session.StatAsync(file, cancellationToken) ?? throw new XenApiFailure(XenErrors.VdiMissing, srUuid, location);
        var marks = new HashSet<string>(StringComparer.Ordinal);
        foreach (var suffix in new[] { HiddenSuffix, UnusableSuffix })
        {
            if (await session.StatAsync(location + suffix, cancellationToken) is not null)
            {
                marks.Add(location + suffix);
            }
        }

        return await ReadNodeAsync(session, entry, marks, cancellationToken) is { } node
            ? node.Info
            : throw SmError.VdiUnavailable.Failure($"{store.QemuPath(file)} is not a qcow2 image");
    }

    /// <summary>Every VDI of the directory with its parent link: what a scan reports and what destroy walks.</summary>
    private async Task<Dictionary<string, Node>> LoadAsync(IFileStoreSession session, CancellationToken cancellationToken)
    {
        var entries = await session.ListAsync(cancellationToken);
        var marks = entries.Where(e => e.Name.EndsWith(HiddenSuffix, StringComparison.Ordinal) || e.Name.EndsWith(UnusableSuffix, StringComparison.Ordinal))
            .Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var graph = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!entry.Name.EndsWith(Extension, StringComparison.Ordinal) || entry.Name.StartsWith('.'))
            {
                continue;
            }

            if (!VdiLocation.IsValid(entry.Name[..^Extension.Length]))
            {
                LogSkipped(logger, entry.Name, srUuid, "the name is not a usable VDI location");
                continue;
            }

            if (await ReadNodeAsync(session, entry, marks, cancellationToken) is { } node)
            {
                graph[node.Info.Location] = node;
            }
            else
            {
                LogSkipped(logger, entry.Name, srUuid, "not a qcow2 image");
            }
        }

        return graph;
    }

    private async Task<Node?> ReadNodeAsync(IFileStoreSession session, StoreEntry entry, HashSet<string> marks, CancellationToken cancellationToken)
    {
        (Qcow2Header Header, string? BackingFile)? parsed;
        await using (var stream = await session.OpenReadAsync(entry.Name, cancellationToken))
        {
            parsed = await Qcow2Header.ReadAsync(stream, cancellationToken);
        }

        if (parsed is not { } image)
        {
            return null;
        }

        var location = entry.Name[..^Extension.Length];
        string? parent = null;
        if (image.BackingFile is not null && store.ResolveBacking(image.BackingFile) is { } parentFile
            && parentFile.EndsWith(Extension, StringComparison.Ordinal))
        {
            parent = parentFile[..^Extension.Length];
        }

        string? unusable = null;
        if (marks.Contains(location + UnusableSuffix))
        {
            unusable = await ReadMarkAsync(session, location + UnusableSuffix, cancellationToken);
        }

        var info = new VdiInfo(location, image.Header.VirtualSize, entry.Allocated, parent, !entry.Writable, marks.Contains(location + HiddenSuffix), unusable);
        return new Node(entry.Name, info);
    }

    private static async Task<string> ReadMarkAsync(IFileStoreSession session, string name, CancellationToken cancellationToken)
    {
        await using var stream = await session.OpenReadAsync(name, cancellationToken);
        var buffer = new byte[4096];
        var length = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        var text = Encoding.UTF8.GetString(buffer, 0, length).Trim();
        return text.Length > 0 ? text : "import did not complete";
    }

    private static async Task WriteMarkAsync(IFileStoreSession session, string name, string text, CancellationToken cancellationToken)
    {
        await session.DeleteAsync(name, cancellationToken);
        await using var stream = await session.CreateAsync(name, cancellationToken);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text + "\n"), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    private async Task ReplaceMarkQuietlyAsync(IFileStoreSession session, string name, string text)
    {
        try
        {
            await WriteMarkAsync(session, name, text, CancellationToken.None);
        }
        catch (Exception exception)
        {
            // The "in progress" mark written at the start stays; the VDI is still reported unusable.
            LogCleanupFailed(logger, name, srUuid, exception.Message);
        }
    }

    private async Task DeleteQuietlyAsync(IFileStoreSession session, string name)
    {
        try
        {
            await session.DeleteAsync(name, CancellationToken.None);
        }
        catch (Exception exception)
        {
            LogCleanupFailed(logger, name, srUuid, exception.Message);
        }
    }

    private XenApiFailure Failure(SmError error, Exception exception) => exception switch
    {
        XenApiFailure failure => failure,
        CommandFailedException failed => error.Failure($"{store.Description}: {failed.Result.FileName} failed", failed.Detail),
        _ => error.Failure($"{store.Description}: {exception.Message}"),
    };

    private string CheckedLocation(string location) =>
        VdiLocation.IsValid(location) ? location : throw new XenApiFailure(XenErrors.VdiMissing, srUuid, location);

    private static string FileOf(string location) => location + Extension;

    private static string Bytes(long value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record Node(string File, VdiInfo Info);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Scan of SR {SrUuid} skipped {FileName}: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string fileName, string srUuid, string reason);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Import into VDI {Location} of SR {SrUuid} failed; the VDI is marked unusable: {Reason}")]
    private static partial void LogImportFailed(ILogger logger, string location, string srUuid, string reason);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Cleanup of {Name} in SR {SrUuid} failed: {Reason}")]
    private static partial void LogCleanupFailed(ILogger logger, string name, string srUuid, string reason);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Information, Message = "Base copy {Location} of SR {SrUuid} had no child left and was deleted")]
    private static partial void LogBaseCollected(ILogger logger, string location, string srUuid);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Error, Message = "Could not undo the freeze of VDI {Location} in SR {SrUuid}: {Reason}")]
    private static partial void LogRollbackFailed(ILogger logger, string location, string srUuid, string reason);
}
