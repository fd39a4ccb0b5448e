namespace Stratus.Host.Storage.Files;

/// <summary>
/// A connection to an SR directory (for NFS: one libnfs context with the export mounted). Not thread-safe: one
/// operation at a time, streams disposed before the session.
/// </summary>
internal interface IFileStoreSession : IAsyncDisposable
{
    /// <summary>The regular files of the directory.</summary>
    Task<IReadOnlyList<StoreEntry>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The file's entry, or null when there is none.</summary>
    Task<StoreEntry?> StatAsync(string fileName, CancellationToken cancellationToken);

    /// <summary>A seekable read stream.</summary>
    Task<Stream> OpenReadAsync(string fileName, CancellationToken cancellationToken);

    /// <summary>Creates a new file (failing when it exists) and returns a seekable read-write stream.</summary>
    Task<Stream> CreateAsync(string fileName, CancellationToken cancellationToken);

    /// <summary>Removes a file; no error when it is already gone.</summary>
    Task DeleteAsync(string fileName, CancellationToken cancellationToken);

    Task RenameAsync(string fromName, string toName, CancellationToken cancellationToken);

    /// <summary>Mode 0644 (writable) or 0444 (read-only): how read-only VDIs are kept on disk.</summary>
    Task SetWritableAsync(string fileName, bool writable, CancellationToken cancellationToken);

    /// <summary>statvfs of the file system holding the directory.</summary>
    Task<FileSystemSpace> GetSpaceAsync(CancellationToken cancellationToken);
}
