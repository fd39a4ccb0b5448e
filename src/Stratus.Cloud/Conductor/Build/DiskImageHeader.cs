using System.Buffers.Binary;

namespace Stratus.Cloud.Conductor.Build;

/// <summary>
/// Reads a disk image's virtual size from its first bytes when the image service does not know it: qcow2's header
/// (magic "QFI\xfb", size at offset 24, big-endian) and a dynamic VHD's leading footer copy ("conectix", current
/// size at offset 48). The import VDI must be at least that big.
/// </summary>
internal static class DiskImageHeader
{
    public const int Length = 512;

    private static readonly byte[] QcowMagic = [0x51, 0x46, 0x49, 0xFB];

    public static long? VirtualSize(ReadOnlySpan<byte> header, string format)
    {
        if (format == "qcow2" && header.Length >= 32 && header[..4].SequenceEqual(QcowMagic))
        {
            return (long)BinaryPrimitives.ReadUInt64BigEndian(header[24..]);
        }

        if (format == "vhd" && header.Length >= 56 && header[..8].SequenceEqual("conectix"u8))
        {
            return (long)BinaryPrimitives.ReadUInt64BigEndian(header[48..]);
        }

        return null;
    }
}
