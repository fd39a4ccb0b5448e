using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Stratus.Host.Storage.Files;

/// <summary>
/// The two file-system facts .NET does not expose: allocated blocks of a file (statx) and the numbers of the file
/// system holding a path (statvfs). Both are read from fixed byte offsets of 64-bit Linux glibc layouts (statx's layout
/// is the same on every architecture; statvfs is all 8-byte fields on 64-bit targets).
/// </summary>
internal static partial class Posix
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxSize = 256;
    private const int StatvfsSize = 112;

    /// <summary>statx(2) of <paramref name="path"/>; null when it does not exist.</summary>
    public static FileStatus? Stat(string path)
    {
        Span<byte> buffer = stackalloc byte[StatxSize];
        if (StatX(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == 2 ? null : throw new IOException($"statx {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        var mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer[28..]);
        var size = BinaryPrimitives.ReadInt64LittleEndian(buffer[40..]);
        var blocks = BinaryPrimitives.ReadInt64LittleEndian(buffer[48..]);
        return new FileStatus(mode, size, blocks * 512);
    }

    /// <summary>statvfs(3) of the file system holding <paramref name="path"/>, in bytes (fragment-size units, as df).</summary>
    public static FileSystemSpace StatFileSystem(string path)
    {
        Span<byte> buffer = stackalloc byte[StatvfsSize];
        if (StatVfs(path, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"statvfs {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        var fragment = BinaryPrimitives.ReadInt64LittleEndian(buffer[8..]);
        var blocks = BinaryPrimitives.ReadInt64LittleEndian(buffer[16..]);
        var free = BinaryPrimitives.ReadInt64LittleEndian(buffer[24..]);
        var available = BinaryPrimitives.ReadInt64LittleEndian(buffer[32..]);
        return new FileSystemSpace(blocks * fragment, (blocks - free) * fragment, available * fragment);
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int StatX(int dirFd, string path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "statvfs", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int StatVfs(string path, ref byte buffer);
}
