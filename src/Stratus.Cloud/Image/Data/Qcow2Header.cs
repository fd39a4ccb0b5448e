using System.Buffers.Binary;

namespace Stratus.Cloud.Image.Data;

/// <summary>
/// The fixed part of a qcow2 header (QEMU docs/interop/qcow2.txt): magic <c>QFI\xfb</c> at 0, version (2 or 3) at 4,
/// the virtual disk size in bytes at 24, all big-endian.
/// </summary>
internal static class Qcow2Header
{
    public const int MinimumLength = 32;

    private const uint Magic = 0x514649FB;

    /// <summary>The virtual size the header declares, or false when the bytes are not a qcow2 header.</summary>
    public static bool TryReadVirtualSize(ReadOnlySpan<byte> header, out long virtualSize)
    {
        virtualSize = 0;
        if (header.Length < MinimumLength || BinaryPrimitives.ReadUInt32BigEndian(header) != Magic)
        {
            return false;
        }

        var version = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        var size = BinaryPrimitives.ReadUInt64BigEndian(header[24..]);
        if (version is not (2 or 3) || size > long.MaxValue)
        {
            return false;
        }

        virtualSize = (long)size;
        return true;
    }
}
