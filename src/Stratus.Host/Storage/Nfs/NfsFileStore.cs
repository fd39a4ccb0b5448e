using Stratus.Host.Storage.Files;

namespace Stratus.Host.Storage.Nfs;

/// <summary>
/// An SR directory on an NFS export, reached entirely in user space: libnfs for the agent's own file operations, and
/// QEMU's nfs:// driver (the same libnfs) for the disks, so no kernel NFS client and no mount point are needed.
/// </summary>
internal sealed class NfsFileStore(string server, string export, string subdirectory, TimeSpan timeout, NfsClientPool pool) : IFileStore
{
    private const int Writable = 0b110_100_100;
    private const int ReadOnly = 0b100_100_100;

    /// <summary>The SR directory as a path inside the export (<c>/&lt;sr-uuid&gt;</c>, or <c>/</c> with nosubdir).</summary>
    public string DirectoryInExport => subdirectory.Length == 0 ? "/" : "/" + subdirectory;

    public string Description => UrlPrefix.TrimEnd('/');

    /// <summary>
    /// <c>nfs://server/export/sr-uuid/</c>. QEMU mounts everything before the file name as the export path, so it mounts
    /// the SR subdirectory itself; Linux knfsd and nfs-ganesha both accept a mount below an export's root.
    /// </summary>
    private string UrlPrefix => $"nfs://{UrlHost(server)}{export.TrimEnd('/')}{(subdirectory.Length == 0 ? "" : "/" + subdirectory)}/";

    public string QemuPath(string fileName) => UrlPrefix + fileName;

    public string BackingReference(string fileName) => QemuPath(fileName);

    public string? ResolveBacking(string backingReference)
    {
        if (!backingReference.Contains('/'))
        {
            return backingReference;
        }

        var name = backingReference.StartsWith(UrlPrefix, StringComparison.Ordinal) ? backingReference[UrlPrefix.Length..] : null;
        return name is { Length: > 0 } && !name.Contains('/') ? name : null;
    }

    public async Task<IFileStoreSession> OpenAsync(CancellationToken cancellationToken)
    {
        var client = await pool.RentAsync(server, export, timeout, cancellationToken);
        return new Session(this, client, pool);
    }

    /// <summary>Mounts the export, mapping failure to SR_BACKEND_FAILURE_73 (NFSMount) with libnfs's reason.</summary>
    public static async Task<NfsClient> MountAsync(string server, string export, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await Task.Run(() => NfsClient.Mount(server, export, timeout), cancellationToken);
        }
        catch (NfsException exception)
        {
            throw SmError.NfsMount.Failure(exception.Message);
        }
    }

    /// <summary>An IPv6 literal goes in brackets in a URL.</summary>
    public static string UrlHost(string server) => server.Contains(':') && !server.StartsWith('[') ? $"[{server}]" : server;

    private sealed class Session(NfsFileStore store, NfsClient client, NfsClientPool pool) : IFileStoreSession
    {
        private bool _healthy = true;

        public Task<IReadOnlyList<StoreEntry>> ListAsync(CancellationToken cancellationToken) => Run(() =>
            (IReadOnlyList<StoreEntry>)[.. client.List(store.DirectoryInExport).Where(a => a.IsRegularFile).Select(Entry)], cancellationToken);

        public Task<StoreEntry?> StatAsync(string fileName, CancellationToken cancellationToken) => Run(() =>
            client.Stat(PathOf(fileName)) is { IsRegularFile: true } attributes ? Entry(attributes) : null, cancellationToken);

        public Task<Stream> OpenReadAsync(string fileName, CancellationToken cancellationToken) => Run<Stream>(() =>
        {
            var path = PathOf(fileName);
            var attributes = client.Stat(path) ?? throw new FileNotFoundException($"{store.QemuPath(fileName)} does not exist");
            return new NfsFileStream(client, client.Open(path, writable: false), attributes.Size, writable: false);
        }, cancellationToken);

        public Task<Stream> CreateAsync(string fileName, CancellationToken cancellationToken) => Run<Stream>(() =>
            new NfsFileStream(client, client.Create(PathOf(fileName), Writable), 0, writable: true), cancellationToken);

        public Task DeleteAsync(string fileName, CancellationToken cancellationToken) => Run(() => client.Unlink(PathOf(fileName)), cancellationToken);

        public Task RenameAsync(string fromName, string toName, CancellationToken cancellationToken) =>
            Run(() => { client.Rename(PathOf(fromName), PathOf(toName)); return 0; }, cancellationToken);

        public Task SetWritableAsync(string fileName, bool writable, CancellationToken cancellationToken) =>
            Run(() => { client.Chmod(PathOf(fileName), writable ? Writable : ReadOnly); return 0; }, cancellationToken);

        public Task<FileSystemSpace> GetSpaceAsync(CancellationToken cancellationToken) =>
            Run(() => client.StatFileSystem(store.DirectoryInExport), cancellationToken);

        public ValueTask DisposeAsync()
        {
            pool.Return(client, _healthy);
            return ValueTask.CompletedTask;
        }

        private string PathOf(string fileName) => store.DirectoryInExport.TrimEnd('/') + "/" + fileName;

        private static StoreEntry Entry(NfsAttributes attributes) => new(attributes.Name, attributes.Size, attributes.Used, attributes.OwnerWritable);

        /// <summary>Runs a blocking libnfs call off the caller's thread; a transport-level failure retires the context.</summary>
        private async Task<T> Run<T>(Func<T> operation, CancellationToken cancellationToken)
        {
            try
            {
                return await Task.Run(operation, cancellationToken);
            }
            catch (NfsException exception) when (!IsOrdinary(exception.Errno))
            {
                _healthy = false;
                throw;
            }
        }

        /// <summary>Answers about the files themselves (ENOENT, EEXIST, EACCES, ENOSPC…), not about the connection.</summary>
        private static bool IsOrdinary(int errno) => errno is 1 or 2 or 13 or 17 or 20 or 21 or 22 or 27 or 28 or 30 or 36 or 39 or 122;
    }
}
