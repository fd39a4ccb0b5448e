namespace Stratus.Host.Storage.Files;

/// <summary>
/// One SR directory, wherever it lives: a local directory (ext) or a directory on an NFS export reached in user
/// space (nfs). <see cref="QcowSr"/> keeps the VDIs in it; the store knows only how to reach files, and how QEMU
/// names them.
/// </summary>
internal interface IFileStore
{
    /// <summary>Where it is, for messages: a path or an nfs:// URL.</summary>
    string Description { get; }

    /// <summary>What qemu-img and QEMU open for <paramref name="fileName"/>: a path, or an nfs:// URL (libnfs).</summary>
    string QemuPath(string fileName);

    /// <summary>
    /// What a child's qcow2 header records as its backing file. Local SRs store the bare name (relative to the child,
    /// so the directory can move); NFS SRs store the full URL, because QEMU 7's nfs driver cannot resolve a relative
    /// backing name (it appends it to the child's own path).
    /// </summary>
    string BackingReference(string fileName);

    /// <summary>The file in this SR that a backing reference names, or null when it points elsewhere.</summary>
    string? ResolveBacking(string backingReference);

    Task<IFileStoreSession> OpenAsync(CancellationToken cancellationToken);
}
