using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Stratus.Cloud.Compute.Keypairs;

/// <summary>
/// Key generation and fingerprints as nova/crypto.py does them: a 2048-bit RSA key whose public half is an OpenSSH
/// line ending in "Generated-by-Nova", the private half a PKCS#1 PEM; SSH fingerprints are the colon-separated MD5 of
/// the key blob, X.509 fingerprints the colon-separated SHA-1 of the DER certificate.
/// </summary>
// MD5 and SHA-1 are what the protocol's fingerprints are made of (nova/crypto.py), not used for security here.
#pragma warning disable CA5350, CA5351
internal static class KeyMaterial
{
    private static readonly string[] SshTypes =
        ["ssh-rsa", "ssh-dss", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com"];

    public sealed record Generated(string PublicKey, string PrivateKey, string Fingerprint);

    public static Generated GenerateSsh()
    {
        using var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var blob = new List<byte>();
        AppendString(blob, Encoding.ASCII.GetBytes("ssh-rsa"));
        AppendMpint(blob, parameters.Exponent!);
        AppendMpint(blob, parameters.Modulus!);
        var bytes = blob.ToArray();
        return new Generated($"ssh-rsa {Convert.ToBase64String(bytes)} Generated-by-Nova", rsa.ExportRSAPrivateKeyPem() + "\n", Colons(MD5.HashData(bytes)));
    }

    /// <summary>nova crypto.generate_winrm_x509_cert: a self-signed client certificate for the user.</summary>
    public static Generated GenerateX509(string userId, DateTime now)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={userId}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        var pem = certificate.ExportCertificatePem() + "\n";
        return new Generated(pem, rsa.ExportPkcs8PrivateKeyPem() + "\n", Colons(SHA1.HashData(certificate.RawData)));
    }

    /// <summary>The fingerprint of an OpenSSH public key line, or null when it is not one.</summary>
    public static string? SshFingerprint(string publicKey)
    {
        var parts = publicKey.Trim().Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !SshTypes.Contains(parts[0]))
        {
            return null;
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException)
        {
            return null;
        }

        // The blob starts with its own key type (RFC 4253 section 6.6); a mismatch means a damaged key.
        if (blob.Length < 4)
        {
            return null;
        }

        var typeLength = BinaryPrimitives.ReadUInt32BigEndian(blob);
        if (typeLength > blob.Length - 4 || Encoding.ASCII.GetString(blob, 4, (int)typeLength) != parts[0])
        {
            return null;
        }

        return Colons(MD5.HashData(blob));
    }

    /// <summary>The fingerprint of a PEM certificate, or null when it does not parse.</summary>
    public static string? X509Fingerprint(string pem)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            return Colons(SHA1.HashData(certificate.RawData));
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string Colons(byte[] hash) => string.Join(':', hash.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    private static void AppendString(List<byte> blob, byte[] value)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)value.Length);
        blob.AddRange(length.ToArray());
        blob.AddRange(value);
    }

    private static void AppendMpint(List<byte> blob, byte[] value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        var trimmed = value[start..];
        AppendString(blob, trimmed[0] >= 0x80 ? [0, .. trimmed] : trimmed);
    }
}
#pragma warning restore CA5350, CA5351
