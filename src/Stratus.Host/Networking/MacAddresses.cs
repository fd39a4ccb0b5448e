using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Stratus.Host.Networking;

/// <summary>VIF MAC addresses: generated ones are locally administered unicast (xapi uses a random one the same way).</summary>
internal static partial class MacAddresses
{
    public static string Generate()
    {
        Span<byte> bytes = stackalloc byte[6];
        RandomNumberGenerator.Fill(bytes);
        bytes[0] = (byte)((bytes[0] & 0xFE) | 0x02);
        return string.Join(':', bytes.ToArray().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    public static bool IsValid(string mac) => Pattern().IsMatch(mac);

    /// <summary>Lowercase, colon-separated.</summary>
    public static string Normalize(string mac) => mac.Replace('-', ':').ToLowerInvariant();

    [GeneratedRegex("^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$")]
    private static partial Regex Pattern();
}
