using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Stratus.Cloud.Identity.Passwords;

/// <summary>
/// Salted slow password hashes: PBKDF2-HMAC-SHA512 with a random 16-byte salt per hash and 210,000 iterations
/// (OWASP's 2023 figure for this hash), stored as <c>pbkdf2-sha512$210000$&lt;salt&gt;$&lt;hash&gt;</c> (base64).
/// The parameters travel with the hash, so the iteration count can rise later without breaking old ones.
/// Comparison is constant-time. Passwords are never logged and never leave this class in any form but the hash.
/// </summary>
internal static class PasswordHasher
{
    public const int DefaultIterations = 210_000;

    /// <summary>Keystone's max_password_length; bounds the work an anonymous caller can ask for.</summary>
    public const int MaxPasswordLength = 4096;

    private const string Scheme = "pbkdf2-sha512";
    private const int SaltBytes = 16;
    private const int HashBytes = 64;

    /// <summary>A hash of nothing anyone knows, checked when a user does not exist so the answer takes as long.</summary>
    private static readonly Lazy<string> Decoy = new(() => Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));

    public static string Hash(string password, int iterations = DefaultIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        Span<byte> salt = stackalloc byte[SaltBytes];
        RandomNumberGenerator.Fill(salt);
        var hash = Derive(password, salt, iterations);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Whether <paramref name="password"/> matches <paramref name="stored"/>; false for a malformed hash.</summary>
    public static bool Verify(string password, string? stored)
    {
        if (stored is null)
        {
            // Spend the same time as a real check, so timing does not tell which users exist.
            Verify(password, Decoy.Value);
            return false;
        }

        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        var actual = Derive(password, salt, iterations, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static byte[] Derive(string password, ReadOnlySpan<byte> salt, int iterations, int length = HashBytes)
    {
        var bytes = Encoding.UTF8.GetBytes(password);
        try
        {
            return Rfc2898DeriveBytes.Pbkdf2(bytes, salt, iterations, HashAlgorithmName.SHA512, length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
