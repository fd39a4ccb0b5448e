using System.Globalization;

namespace Stratus.Cloud.Identity.Model;

/// <summary>Keystone ids for users, projects and roles: 32 lower-case hex digits, no hyphens (contract §1.5).</summary>
internal static class IdentityIds
{
    public static string New() => Guid.NewGuid().ToString("N");

    /// <summary>Whether <paramref name="id"/> has the 32-hex shape, so tokens can carry it as 16 bytes.</summary>
    public static bool IsHex(string id) => id.Length == 32 && UInt128.TryParse(id, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _);

    public static UInt128 ToNumber(string id) => UInt128.Parse(id, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    public static string FromNumber(UInt128 value) => value.ToString("x32", CultureInfo.InvariantCulture);
}
