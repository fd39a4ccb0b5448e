using System.Runtime.InteropServices;

namespace Stratus.Host.Storage.Nfs;

/// <summary>
/// The asynchronous API of libnfs 4 (<c>libnfs.so.13</c>, Debian's libnfs13), the same user-space NFS client QEMU's
/// nfs:// driver uses, driven by <see cref="NfsClient"/>'s own poll loop. Not the synchronous API: its loop treats a
/// poll() interrupted by any signal (SIGCHLD from every qemu-img the agent runs) as a fatal "Poll failed" and may
/// resend the interrupted request later. Bound by SONAME on purpose: libnfs 6 changed the pread/pwrite signatures.
/// Calls return 0 when the request was queued (negative: it was not); the callback gets err ≥ 0 on success (a byte
/// count for reads and writes) or -errno with the error text in <c>data</c>.
/// </summary>
internal static unsafe partial class LibNfs
{
    public const string Library = "libnfs.so.13";

    public const int ReadOnly = 0;
    public const int ReadWrite = 2;
    public const int Create = 0x40;
    public const int Exclusive = 0x80;

    [LibraryImport(Library, EntryPoint = "nfs_init_context")]
    public static partial nint InitContext();

    [LibraryImport(Library, EntryPoint = "nfs_destroy_context")]
    public static partial void DestroyContext(nint nfs);

    [LibraryImport(Library, EntryPoint = "nfs_get_error")]
    public static partial nint GetError(nint nfs);

    [LibraryImport(Library, EntryPoint = "nfs_set_timeout")]
    public static partial void SetTimeout(nint nfs, int milliseconds);

    [LibraryImport(Library, EntryPoint = "nfs_get_fd")]
    public static partial int GetFd(nint nfs);

    [LibraryImport(Library, EntryPoint = "nfs_which_events")]
    public static partial int WhichEvents(nint nfs);

    [LibraryImport(Library, EntryPoint = "nfs_service")]
    public static partial int Service(nint nfs, int revents);

    [LibraryImport(Library, EntryPoint = "nfs_get_readmax")]
    public static partial ulong GetReadMax(nint nfs);

    [LibraryImport(Library, EntryPoint = "nfs_get_writemax")]
    public static partial ulong GetWriteMax(nint nfs);

    [LibraryImport(Library, EntryPoint = "nfs_mount_async", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MountAsync(nint nfs, string server, string exportName, nint callback, nint state);

    [LibraryImport(Library, EntryPoint = "nfs_mkdir_async", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MakeDirectoryAsync(nint nfs, string path, nint callback, nint state);

    [LibraryImport(Library, EntryPoint = "nfs_rmdir_async", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RemoveDirectoryAsync(nint nfs, string path, nint callback, nint state);

    [LibraryImport(Library, EntryPoint = "nfs_unlink_async", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int UnlinkAsync(nint nfs, string path, nint callback, nint state);

    [LibraryImport(Library, EntryPoint = "nfs_rename_async", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RenameAsync(nint nfs, string oldPath, string newPath, nint callback, nint state);

    [LibraryImport(Library, EntryPoint = "nfs_chmod_async", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ChmodAsync(nint nfs, string path, int mode, nint callback, nint state);

    /// <summary>Callback data: a <c>struct nfs_stat_64</c>, 17 uint64 fields (mode at 2, size at 7, blocks at 9, used at 16).</summary>
    [LibraryImport(Library, EntryPoint = "nfs_stat64_async", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Stat64Async(nint nfs, string path, nint callback, nint state);

    /// <summary>Callback data: a <c>struct nfs_statvfs_64</c>, 11 uint64 fields (frsize at 1, blocks 2, bfree 3, bavail 4).</summary>
    [LibraryImport(Library, EntryPoint = "nfs_statvfs64_async", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int StatVfs64Async(nint nfs, string path, nint callback, nint state);

    /// <summary>Callback data: a <c>struct nfsdir</c>, read with <see cref="ReadDirectory"/> (which never blocks).</summary>
    [LibraryImport(Library, EntryPoint = "nfs_opendir_async", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenDirectoryAsync(nint nfs, string path, nint callback, nint state);

    /// <summary>The next <c>struct nfsdirent</c> (READDIRPLUS attributes included), or null at the end.</summary>
    [LibraryImport(Library, EntryPoint = "nfs_readdir")]
    public static partial nint ReadDirectory(nint nfs, nint directory);

    [LibraryImport(Library, EntryPoint = "nfs_closedir")]
    public static partial void CloseDirectory(nint nfs, nint directory);

    /// <summary>Callback data: the <c>struct nfsfh</c>.</summary>
    [LibraryImport(Library, EntryPoint = "nfs_open_async", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenAsync(nint nfs, string path, int flags, nint callback, nint state);

    /// <summary>Callback data: the <c>struct nfsfh</c> of the new file.</summary>
    [LibraryImport(Library, EntryPoint = "nfs_create_async", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int CreateAsync(nint nfs, string path, int flags, int mode, nint callback, nint state);

    [LibraryImport(Library, EntryPoint = "nfs_close_async")]
    public static partial int CloseAsync(nint nfs, nint handle, nint callback, nint state);

    /// <summary>Callback: err = bytes read, data = libnfs's buffer holding them (valid only during the callback).</summary>
    [LibraryImport(Library, EntryPoint = "nfs_pread_async")]
    public static partial int PreadAsync(nint nfs, nint handle, ulong offset, ulong count, nint callback, nint state);

    /// <summary>The buffer must stay valid until the callback: <see cref="NfsClient"/> keeps it pinned while it waits.</summary>
    [LibraryImport(Library, EntryPoint = "nfs_pwrite_async")]
    public static partial int PwriteAsync(nint nfs, nint handle, ulong offset, ulong count, byte* buffer, nint callback, nint state);

    [LibraryImport(Library, EntryPoint = "nfs_ftruncate_async")]
    public static partial int FtruncateAsync(nint nfs, nint handle, ulong length, nint callback, nint state);

    [LibraryImport(Library, EntryPoint = "nfs_fsync_async")]
    public static partial int FsyncAsync(nint nfs, nint handle, nint callback, nint state);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, ulong count, int timeoutMilliseconds);

    /// <summary><c>struct pollfd</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }
}
