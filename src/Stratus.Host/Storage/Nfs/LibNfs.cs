using System.Runtime.InteropServices;

namespace Stratus.Host.Storage.Nfs;

/// <summary>
/// The synchronous API of libnfs 4 (<c>libnfs.so.13</c>, Debian's libnfs13), the same user-space NFS client QEMU's
/// nfs:// driver uses. Bound by SONAME on purpose: libnfs 6 swapped the argument order of nfs_pread/nfs_pwrite.
/// Every call returns 0 (or a count) on success and -errno on failure; <see cref="GetError"/> has the text.
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

    [LibraryImport(Library, EntryPoint = "nfs_mount", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mount(nint nfs, string server, string exportName);

    [LibraryImport(Library, EntryPoint = "nfs_mkdir", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MakeDirectory(nint nfs, string path);

    [LibraryImport(Library, EntryPoint = "nfs_rmdir", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RemoveDirectory(nint nfs, string path);

    [LibraryImport(Library, EntryPoint = "nfs_unlink", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Unlink(nint nfs, string path);

    [LibraryImport(Library, EntryPoint = "nfs_rename", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Rename(nint nfs, string oldPath, string newPath);

    [LibraryImport(Library, EntryPoint = "nfs_chmod", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Chmod(nint nfs, string path, int mode);

    /// <summary>Fills a <c>struct nfs_stat_64</c>: 17 uint64 fields (mode at 2, size at 7, blocks at 9, used at 16).</summary>
    [LibraryImport(Library, EntryPoint = "nfs_stat64", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Stat64(nint nfs, string path, ulong* stat);

    /// <summary>Fills a <c>struct nfs_statvfs_64</c>: 11 uint64 fields (frsize at 1, blocks 2, bfree 3, bavail 4).</summary>
    [LibraryImport(Library, EntryPoint = "nfs_statvfs64", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int StatVfs64(nint nfs, string path, ulong* statvfs);

    [LibraryImport(Library, EntryPoint = "nfs_opendir", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenDirectory(nint nfs, string path, out nint directory);

    /// <summary>The next <c>struct nfsdirent</c> (READDIRPLUS attributes included), or null at the end.</summary>
    [LibraryImport(Library, EntryPoint = "nfs_readdir")]
    public static partial nint ReadDirectory(nint nfs, nint directory);

    [LibraryImport(Library, EntryPoint = "nfs_closedir")]
    public static partial void CloseDirectory(nint nfs, nint directory);

    [LibraryImport(Library, EntryPoint = "nfs_open", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(nint nfs, string path, int flags, out nint handle);

    [LibraryImport(Library, EntryPoint = "nfs_create", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int CreateFile(nint nfs, string path, int flags, int mode, out nint handle);

    [LibraryImport(Library, EntryPoint = "nfs_close")]
    public static partial int Close(nint nfs, nint handle);

    [LibraryImport(Library, EntryPoint = "nfs_pread")]
    public static partial int Pread(nint nfs, nint handle, ulong offset, ulong count, byte* buffer);

    [LibraryImport(Library, EntryPoint = "nfs_pwrite")]
    public static partial int Pwrite(nint nfs, nint handle, ulong offset, ulong count, byte* buffer);

    [LibraryImport(Library, EntryPoint = "nfs_ftruncate")]
    public static partial int Ftruncate(nint nfs, nint handle, ulong length);

    [LibraryImport(Library, EntryPoint = "nfs_fsync")]
    public static partial int Fsync(nint nfs, nint handle);

    [LibraryImport(Library, EntryPoint = "nfs_get_readmax")]
    public static partial ulong GetReadMax(nint nfs);

    [LibraryImport(Library, EntryPoint = "nfs_get_writemax")]
    public static partial ulong GetWriteMax(nint nfs);
}
