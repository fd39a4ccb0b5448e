using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace Stratus.Cloud.Identity.Tokens;

/// <summary>
/// Stratus tokens: a compact binary payload followed by its HMAC-SHA256, as URL-safe base64 (about 135 characters).
/// Validation is a base64 decode and one HMAC over ~70 bytes, in memory: no database round trip.
/// <code>
/// version(1)=1 | key id(2) | methods(1) | flags(1: 1=project, 2=parent audit) | user(16) | [project(16)]
/// | issued µs(8) | expires µs(8) | audit(16) | [parent audit(16)] | HMAC-SHA256 over everything before(32)
/// </code>
/// Keys live in the database so several controllers share them; the key id leaves room for rotation.
/// </summary>
internal sealed class TokenCodec
{
    public const int MaxTokenLength = 256;

    private const byte Version = 1;
    private const byte FlagProject = 1;
    private const byte FlagParent = 2;
    private const int MacBytes = 32;
    private const int MaxBytes = 5 + 16 + 16 + 8 + 8 + 16 + 16 + MacBytes;

    private volatile KeyRing _ring = new(new Dictionary<ushort, Signer>(), null);

    /// <summary>Whether keys are loaded (the bootstrap loads them before the listener opens).</summary>
    public bool HasKeys => _ring.Current is not null;

    /// <summary>Installs the keys; the one with the highest id signs new tokens, all of them verify.</summary>
    public void Load(IEnumerable<SigningKey> keys)
    {
        var map = keys.ToDictionary(k => k.Id, k => new Signer(k));
        _ring = new KeyRing(map, map.Count == 0 ? null : map[map.Keys.Max()]);
    }

    public string Encode(in TokenPayload payload)
    {
        var key = _ring.Current ?? throw new InvalidOperationException("No token signing key is loaded (identity bootstrap has not run).");
        Span<byte> buffer = stackalloc byte[MaxBytes];
        var flags = (byte)((payload.IsProjectScoped ? FlagProject : 0) | (payload.ParentAuditId != UInt128.Zero ? FlagParent : 0));
        buffer[0] = Version;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[1..], key.Key.Id);
        buffer[3] = (byte)payload.Methods;
        buffer[4] = flags;
        var at = 5;
        BinaryPrimitives.WriteUInt128BigEndian(buffer[at..], payload.UserId);
        at += 16;
        if (payload.IsProjectScoped)
        {
            BinaryPrimitives.WriteUInt128BigEndian(buffer[at..], payload.ProjectId);
            at += 16;
        }

        BinaryPrimitives.WriteInt64BigEndian(buffer[at..], payload.IssuedAt);
        at += 8;
        BinaryPrimitives.WriteInt64BigEndian(buffer[at..], payload.ExpiresAt);
        at += 8;
        BinaryPrimitives.WriteUInt128BigEndian(buffer[at..], payload.AuditId);
        at += 16;
        if (payload.ParentAuditId != UInt128.Zero)
        {
            BinaryPrimitives.WriteUInt128BigEndian(buffer[at..], payload.ParentAuditId);
            at += 16;
        }

        key.Sign(buffer[..at], buffer.Slice(at, MacBytes));
        return Base64Url.EncodeToString(buffer[..(at + MacBytes)]);
    }

    /// <summary>Decodes and verifies a token; false for anything malformed, unsigned by a known key, or tampered with.</summary>
    public bool TryDecode(ReadOnlySpan<char> token, out TokenPayload payload)
    {
        payload = default;
        if (token.Length is 0 or > MaxTokenLength)
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[MaxTokenLength];
        if (Base64Url.DecodeFromChars(token, buffer, out var consumed, out var length) != OperationStatus.Done || consumed != token.Length)
        {
            return false;
        }

        var bytes = buffer[..length];
        if (length < 5 + 16 + 8 + 8 + 16 + MacBytes || bytes[0] != Version)
        {
            return false;
        }

        var flags = bytes[4];
        var expected = 5 + 16 + 8 + 8 + 16 + MacBytes + ((flags & FlagProject) != 0 ? 16 : 0) + ((flags & FlagParent) != 0 ? 16 : 0);
        if ((flags & ~(FlagProject | FlagParent)) != 0 || length != expected
            || !_ring.Keys.TryGetValue(BinaryPrimitives.ReadUInt16BigEndian(bytes[1..]), out var key))
        {
            return false;
        }

        var body = bytes[..(length - MacBytes)];
        Span<byte> mac = stackalloc byte[MacBytes];
        key.Sign(body, mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, bytes[(length - MacBytes)..]))
        {
            return false;
        }

        var at = 5;
        var user = BinaryPrimitives.ReadUInt128BigEndian(body[at..]);
        at += 16;
        var project = UInt128.Zero;
        if ((flags & FlagProject) != 0)
        {
            project = BinaryPrimitives.ReadUInt128BigEndian(body[at..]);
            at += 16;
        }

        var issued = BinaryPrimitives.ReadInt64BigEndian(body[at..]);
        at += 8;
        var expires = BinaryPrimitives.ReadInt64BigEndian(body[at..]);
        at += 8;
        var audit = BinaryPrimitives.ReadUInt128BigEndian(body[at..]);
        at += 16;
        var parent = (flags & FlagParent) != 0 ? BinaryPrimitives.ReadUInt128BigEndian(body[at..]) : UInt128.Zero;
        payload = new TokenPayload(user, project, (TokenMethods)body[3], issued, expires, audit, parent);
        return true;
    }

    private sealed record KeyRing(IReadOnlyDictionary<ushort, Signer> Keys, Signer? Current);

    /// <summary>
    /// HMAC-SHA256 with one key. Each thread keeps its own keyed hash and resets it after use: the one-shot
    /// HMACSHA256.HashData sets up a new native HMAC context per call, which costs several times the hashing itself.
    /// </summary>
    private sealed class Signer(SigningKey key)
    {
        private readonly ThreadLocal<IncrementalHash> _hash = new(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key.Secret));

        public SigningKey Key => key;

        public void Sign(ReadOnlySpan<byte> data, Span<byte> mac)
        {
            var hash = _hash.Value!;
            hash.AppendData(data);
            hash.GetHashAndReset(mac);
        }
    }
}
