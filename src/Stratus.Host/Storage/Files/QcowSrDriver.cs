namespace Stratus.Host.Storage.Files;

/// <summary>
/// What every SR of qcow2 files does the same way, whatever holds the files (a local directory for ext, an NFS export
/// for nfs): each VDI operation is <see cref="QcowSr"/>'s on the store the subclass names in <see cref="Volumes"/>.
/// Subclasses keep what differs: configuration, attach, create and destroy.
/// </summary>
internal abstract class QcowSrDriver
{
    public Task<SrCapacity> GetCapacityAsync(SrContext sr, CancellationToken cancellationToken) => Volumes(sr).GetCapacityAsync(cancellationToken);

    public Task<IReadOnlyList<VdiInfo>> ScanAsync(SrContext sr, CancellationToken cancellationToken) => Volumes(sr).ScanAsync(cancellationToken);

    public Task<VdiInfo> CreateVdiAsync(SrContext sr, string vdiUuid, long virtualSize, CancellationToken cancellationToken) =>
        Volumes(sr).CreateVdiAsync(vdiUuid, virtualSize, cancellationToken);

    public Task DestroyVdiAsync(SrContext sr, string location, CancellationToken cancellationToken) =>
        Volumes(sr).DestroyVdiAsync(location, cancellationToken);

    public Task<VdiInfo> ResizeVdiAsync(SrContext sr, string location, long newSize, CancellationToken cancellationToken) =>
        Volumes(sr).ResizeVdiAsync(location, newSize, cancellationToken);

    public Task<VdiInfo> CloneVdiAsync(SrContext sr, string location, string newUuid, CancellationToken cancellationToken) =>
        Volumes(sr).CopyOnWriteAsync(location, newUuid, snapshot: false, cancellationToken);

    public Task<VdiInfo> SnapshotVdiAsync(SrContext sr, string location, string newUuid, CancellationToken cancellationToken) =>
        Volumes(sr).CopyOnWriteAsync(location, newUuid, snapshot: true, cancellationToken);

    public Task ImportAsync(SrContext sr, string location, Stream source, ImageFormat format, IProgress<long>? progress, CancellationToken cancellationToken) =>
        Volumes(sr).ImportAsync(location, source, format, progress, cancellationToken);

    public Task ExportAsync(SrContext sr, string location, Stream target, ImageFormat format, CancellationToken cancellationToken) =>
        Volumes(sr).ExportAsync(location, target, format, cancellationToken);

    /// <summary>The path or URL QEMU opens the VDI's qcow2 file by (a file path for ext, nfs:// for nfs).</summary>
    public DiskLocator Locate(SrContext sr, string location) => new(Volumes(sr).QemuPath(location), "qcow2");

    /// <summary>The SR's qcow2 files on their store.</summary>
    protected abstract QcowSr Volumes(SrContext sr);
}
