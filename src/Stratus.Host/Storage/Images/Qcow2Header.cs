using System.Buffers.Binary;
using System.Text;

namespace Stratus.Host.Storage.Images;

/// <summary>
/// The fixed part of a qcow2 header (QEMU docs/interop/qcow2.txt): magic "QFI\xfb", version 2 or 3, the backing
/// file name's offset and length, and the virtual size. Scans read this directly instead of running one qemu-img per
/// file, so an SR with a thousand VDIs scans in milliseconds.
/// </summary>
internal readonly record struct Qcow2Header(int Version, long VirtualSize, long BackingFileOffset, int BackingFileLength)
{
    public const int MinimumLength = 32;
    private const uint Magic = 0x514649fb;
    private const int MaxBackingFileLength = 1023;

    public bool HasBackingFile => BackingFileOffset > 0 && BackingFileLength > 0;

    public static bool TryParse(ReadOnlySpan<byte> header, out Qcow2Header parsed)
    {
        parsed = default;
        if (header.Length < MinimumLength || BinaryPrimitives.ReadUInt32BigEndian(header) != Magic)
        {
            return false;
        }

        var version = (int)BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        var backingOffset = BinaryPrimitives.ReadInt64BigEndian(header[8..]);
        var backingLength = (int)BinaryPrimitives.ReadUInt32BigEndian(header[16..]);
        var size = BinaryPrimitives.ReadInt64BigEndian(header[24..]);
        if (version is not (2 or 3) || size < 0 || backingOffset < 0 || backingLength is < 0 or > MaxBackingFileLength)
        {
            return false;
        }

        parsed = new Qcow2Header(version, size, backingOffset, backingLength);
        return true;
    }

    /// <summary>Reads the header and the backing file name from a qcow2 image; null when it is not a qcow2 image.</summary>
    public static async Task<(Qcow2Header Header, string? BackingFile)?> ReadAsync(Stream image, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var length = await image.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        if (!TryParse(buffer.AsSpan(0, length), out var header))
        {
            return null;
        }

        if (!header.HasBackingFile)
        {
            return (header, null);
        }

        var name = new byte[header.BackingFileLength];
        if (header.BackingFileOffset + name.Length <= length)
        {
            buffer.AsSpan((int)header.BackingFileOffset, name.Length).CopyTo(name);
        }
        else
        {
            image.Seek(header.BackingFileOffset, SeekOrigin.Begin);
            if (await image.ReadAtLeastAsync(name, name.Length, throwOnEndOfStream: false, cancellationToken) != name.Length)
            {
                return null;
            }
        }

        return (header, Encoding.UTF8.GetString(name));
    }
}
