namespace Stratus.Host.Storage.Files;

/// <summary>An SR directory on a local file system (the ext SR).</summary>
internal sealed class LocalFileStore(string directory) : IFileStore
{
    private const UnixFileMode Writable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public string Directory { get; } = Path.GetFullPath(directory);

    public string Description => Directory;

    public string QemuPath(string fileName) => Path.Join(Directory, fileName);

    public string BackingReference(string fileName) => fileName;

    public string? ResolveBacking(string backingReference)
    {
        var full = Path.GetFullPath(backingReference, Directory);
        return string.Equals(Path.GetDirectoryName(full), Directory, StringComparison.Ordinal) ? Path.GetFileName(full) : null;
    }

    /// <summary>Fails with SR_BACKEND_FAILURE_47 (SRUnavailable) when the directory has gone.</summary>
    public Task<IFileStoreSession> OpenAsync(CancellationToken cancellationToken) =>
        System.IO.Directory.Exists(Directory)
            ? Task.FromResult<IFileStoreSession>(new Session(this))
            : throw SmError.SrUnavailable.Failure($"directory {Directory} does not exist");

    private sealed class Session(LocalFileStore store) : IFileStoreSession
    {
        public Task<IReadOnlyList<StoreEntry>> ListAsync(CancellationToken cancellationToken)
        {
            var entries = new List<StoreEntry>();
            foreach (var path in System.IO.Directory.EnumerateFiles(store.Directory))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Posix.Stat(path) is { IsRegularFile: true } status)
                {
                    entries.Add(Entry(Path.GetFileName(path), status));
                }
            }

            return Task.FromResult<IReadOnlyList<StoreEntry>>(entries);
        }

        public Task<StoreEntry?> StatAsync(string fileName, CancellationToken cancellationToken) =>
            Task.FromResult(Posix.Stat(store.QemuPath(fileName)) is { IsRegularFile: true } status ? Entry(fileName, status) : null);

        public Task<Stream> OpenReadAsync(string fileName, CancellationToken cancellationToken) =>
            Task.FromResult<Stream>(new FileStream(store.QemuPath(fileName), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, useAsync: true));

        public Task<Stream> CreateAsync(string fileName, CancellationToken cancellationToken)
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.ReadWrite,
                Share = FileShare.Read,
                BufferSize = 0,
                Options = FileOptions.Asynchronous,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = Writable;
            }

            return Task.FromResult<Stream>(new FileStream(store.QemuPath(fileName), options));
        }

        public Task DeleteAsync(string fileName, CancellationToken cancellationToken)
        {
            File.Delete(store.QemuPath(fileName));
            return Task.CompletedTask;
        }

        public Task RenameAsync(string fromName, string toName, CancellationToken cancellationToken)
        {
            File.Move(store.QemuPath(fromName), store.QemuPath(toName), overwrite: false);
            return Task.CompletedTask;
        }

        public Task SetWritableAsync(string fileName, bool writable, CancellationToken cancellationToken)
        {
            if (OperatingSystem.IsWindows())
            {
                throw new PlatformNotSupportedException("file modes are a Unix notion");
            }

            File.SetUnixFileMode(store.QemuPath(fileName), writable ? Writable : ReadOnly);
            return Task.CompletedTask;
        }

        public Task<FileSystemSpace> GetSpaceAsync(CancellationToken cancellationToken) =>
            Task.FromResult(Posix.StatFileSystem(store.Directory));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private static StoreEntry Entry(string name, FileStatus status) => new(name, status.Length, status.Allocated, status.OwnerWritable);
    }
}
