using System.Net;
using System.Net.Sockets;

namespace Stratus.Cloud.Network.Ipam;

/// <summary>IPv4 and IPv6 addresses as 128-bit numbers, so ranges, pools and "next free" are plain arithmetic.</summary>
internal static class IpMath
{
    public static int Bits(int version) => version == 4 ? 32 : 128;

    public static UInt128 ToNumber(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        UInt128 value = 0;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    public static IPAddress ToAddress(UInt128 value, int version)
    {
        var bytes = new byte[version == 4 ? 4 : 16];
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xFF);
            value >>= 8;
        }

        return new IPAddress(bytes);
    }

    public static string ToText(UInt128 value, int version) => ToAddress(value, version).ToString();

    /// <summary>Parses a plain IPv4 or IPv6 address (no zone, no prefix); IPv4 needs all four dotted parts.</summary>
    public static bool TryParse(string? text, out IPAddress address, out int version)
    {
        address = IPAddress.None;
        version = 0;
        if (string.IsNullOrWhiteSpace(text) || text.Contains('%') || text.Contains('/') || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        if (parsed.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') != 3)
        {
            return false;
        }

        address = parsed;
        version = parsed.AddressFamily == AddressFamily.InterNetwork ? 4 : 6;
        return true;
    }

    /// <summary>The canonical text of an address (IPv6 compressed, lower case), or null when it is not one.</summary>
    public static string? Normalize(string? text) => TryParse(text, out var address, out _) ? address.ToString() : null;
}
