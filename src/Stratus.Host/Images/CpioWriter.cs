using System.Globalization;
using System.Text;

namespace Stratus.Host.Images;

/// <summary>
/// Writes a cpio archive in the "newc" format the Linux kernel unpacks as an initramfs
/// (Documentation/driver-api/early-userspace/buffer-format.rst): a 110-byte ASCII header of 13 hex fields, the NUL-terminated
/// name, the data, each padded to 4 bytes, ending with the TRAILER!!! entry. Timestamps and owners are zero so the
/// same inputs always give the same bytes.
/// </summary>
internal sealed class CpioWriter(Stream output)
{
    private const int FileType = 0x8000;    // S_IFREG
    private const int DirType = 0x4000;     // S_IFDIR
    private const int LinkType = 0xA000;    // S_IFLNK
    private const int CharType = 0x2000;    // S_IFCHR

    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private int _inode = 1;
    private bool _finished;

    public Task AddDirectoryAsync(string path, CancellationToken cancellationToken, int permissions = 0x1ED /* 0755 */) =>
        WriteEntryAsync(path, DirType | permissions, ReadOnlyMemory<byte>.Empty, 0, 0, cancellationToken);

    public Task AddFileAsync(string path, ReadOnlyMemory<byte> data, int permissions, CancellationToken cancellationToken) =>
        WriteEntryAsync(path, FileType | permissions, data, 0, 0, cancellationToken);

    public Task AddSymlinkAsync(string path, string target, CancellationToken cancellationToken) =>
        WriteEntryAsync(path, LinkType | 0x1FF, Encoding.UTF8.GetBytes(target), 0, 0, cancellationToken);

    /// <summary>A character device node (e.g. /dev/console 5:1, which the kernel opens before any devtmpfs is mounted).</summary>
    public Task AddCharDeviceAsync(string path, int major, int minor, int permissions, CancellationToken cancellationToken) =>
        WriteEntryAsync(path, CharType | permissions, ReadOnlyMemory<byte>.Empty, major, minor, cancellationToken);

    /// <summary>Adds every missing parent directory of <paramref name="path"/> (mode 0755).</summary>
    public async Task AddParentsAsync(string path, CancellationToken cancellationToken)
    {
        var parts = Normalize(path).Split('/');
        for (var i = 1; i < parts.Length; i++)
        {
            var dir = string.Join('/', parts[..i]);
            if (!_written.Contains(dir))
                await AddDirectoryAsync(dir, cancellationToken);
        }
    }

    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        await WriteRawAsync("TRAILER!!!", 0, ReadOnlyMemory<byte>.Empty, 0, 0, 0, cancellationToken);
        _finished = true;
        await output.FlushAsync(cancellationToken);
    }

    private Task WriteEntryAsync(string path, int mode, ReadOnlyMemory<byte> data, int major, int minor, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        var name = Normalize(path);
        if (!_written.Add(name))
            throw new InvalidOperationException($"cpio entry {name} written twice");
        return WriteRawAsync(name, mode, data, major, minor, _inode++, cancellationToken);
    }

    private async Task WriteRawAsync(string name, int mode, ReadOnlyMemory<byte> data, int major, int minor, int inode, CancellationToken cancellationToken)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var header = new StringBuilder("070701", 110);
        foreach (var field in new long[]
                 {
                     inode, mode, 0, 0, (mode & 0xF000) == DirType ? 2 : 1, 0, data.Length,
                     0, 0, major, minor, nameBytes.Length + 1, 0,
                 })
        {
            header.Append(field.ToString("X8", CultureInfo.InvariantCulture));
        }

        var headerBytes = Encoding.ASCII.GetBytes(header.ToString());
        await output.WriteAsync(headerBytes, cancellationToken);
        await output.WriteAsync(nameBytes, cancellationToken);
        await output.WriteAsync(Padding(headerBytes.Length + nameBytes.Length, 1), cancellationToken);
        await output.WriteAsync(data, cancellationToken);
        await output.WriteAsync(Padding(data.Length, 0), cancellationToken);
    }

    /// <summary>Zero bytes that bring <paramref name="length"/> + <paramref name="extra"/> NULs to a multiple of 4.</summary>
    private static byte[] Padding(int length, int extra)
    {
        var total = length + extra;
        return new byte[extra + ((4 - (total % 4)) % 4)];
    }

    private static string Normalize(string path) => path.Trim('/');
}
