namespace Stratus.Host.Storage;

/// <summary>
/// The storage manager of one SR type (xapi's SM driver): makes the SR's substrate real and keeps VDIs on it.
/// The XenAPI layer owns the records (SR, PBD, VDI) and calls the driver outside database transactions; the driver
/// addresses VDIs by their <c>location</c> (what VDI.location holds: for file SRs the VDI uuid).
/// </summary>
internal interface ISrDriver
{
    /// <summary>The SR type: <c>ext</c>, <c>nfs</c>, <c>lvm</c>, <c>iso</c>.</summary>
    string Type { get; }

    /// <summary>The device_config keys it needs, with what they mean (SM.configuration).</summary>
    IReadOnlyDictionary<string, string> Configuration { get; }

    /// <summary>SR.create: builds the substrate (a directory, a subdirectory on the NFS export, a volume group). Fails with SR_BACKEND_FAILURE_n.</summary>
    Task<SrCapacity> CreateAsync(SrContext sr, CancellationToken cancellationToken);

    /// <summary>PBD.plug: makes the substrate usable on this host (checks the directory, reaches the export, activates the VG).</summary>
    Task<SrCapacity> AttachAsync(SrContext sr, CancellationToken cancellationToken);

    /// <summary>PBD.unplug.</summary>
    Task DetachAsync(SrContext sr, CancellationToken cancellationToken);

    /// <summary>SR.destroy: removes the substrate (the SR has no VDIs left).</summary>
    Task DestroyAsync(SrContext sr, CancellationToken cancellationToken);

    /// <summary>Real size and use of the substrate (statvfs, vgs).</summary>
    Task<SrCapacity> GetCapacityAsync(SrContext sr, CancellationToken cancellationToken);

    /// <summary>SR.scan: the VDIs present on the substrate, including ones created outside the agent.</summary>
    Task<IReadOnlyList<VdiInfo>> ScanAsync(SrContext sr, CancellationToken cancellationToken);

    /// <summary>VDI.create. Fails with SR_FULL [requested, available] when it cannot fit, leaving nothing behind.</summary>
    Task<VdiInfo> CreateVdiAsync(SrContext sr, string vdiUuid, long virtualSize, CancellationToken cancellationToken);

    Task DestroyVdiAsync(SrContext sr, string location, CancellationToken cancellationToken);

    Task<VdiInfo> ResizeVdiAsync(SrContext sr, string location, long newSize, CancellationToken cancellationToken);

    /// <summary>
    /// VDI.clone: a copy-on-write child of <paramref name="location"/> (a full copy where the SR cannot share blocks).
    /// On file SRs a writable source is first frozen into a new hidden base copy (VdiInfo.Hidden) that becomes the
    /// parent of both the source and the clone: rescan afterwards to record the base and the source's new parent.
    /// </summary>
    Task<VdiInfo> CloneVdiAsync(SrContext sr, string location, string newUuid, CancellationToken cancellationToken);

    /// <summary>VDI.snapshot: a read-only point-in-time copy.</summary>
    Task<VdiInfo> SnapshotVdiAsync(SrContext sr, string location, string newUuid, CancellationToken cancellationToken);

    /// <summary>
    /// Writes an image into an existing VDI, streaming (never the whole image in memory); reports bytes received.
    /// Any exception means the VDI's contents are not to be trusted: the driver has then left an unusable mark on the
    /// substrate (VdiInfo.UnusableReason, reported by scans until an import succeeds). Failures: IMPORT_ERROR_PREMATURE_EOF
    /// (the stream or the image ended early), IMPORT_ERROR_GENERIC [why] (not a valid or not a self-contained image),
    /// VDI_TOO_SMALL [location, size], SR_FULL [needed, available]; cancellation as OperationCanceledException.
    /// </summary>
    Task ImportAsync(SrContext sr, string location, Stream source, ImageFormat format, IProgress<long>? progress, CancellationToken cancellationToken);

    /// <summary>Streams a VDI's contents out in <paramref name="format"/>.</summary>
    Task ExportAsync(SrContext sr, string location, Stream target, ImageFormat format, CancellationToken cancellationToken);

    /// <summary>What QEMU opens for this VDI: a path, an nfs:// URL or a block device, and its format.</summary>
    DiskLocator Locate(SrContext sr, string location);
}
