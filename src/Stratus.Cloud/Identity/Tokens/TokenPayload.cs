using System.Buffers.Binary;
using System.Buffers.Text;
using Stratus.Cloud.Identity.Model;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Identity.Tokens;

/// <summary>
/// What a token carries, and nothing else: who, for which project (zero when unscoped), how it was obtained, its
/// lifetime in microseconds since the epoch (keystone renders microseconds, and a validated token must render
/// exactly as it was issued), its audit id and, for a re-scoped token, the audit id of the token it came from.
/// Names and roles are not in the token: they are looked up at validation, so renames and role changes apply at once.
/// </summary>
internal readonly record struct TokenPayload(
    UInt128 UserId,
    UInt128 ProjectId,
    TokenMethods Methods,
    long IssuedAt,
    long ExpiresAt,
    UInt128 AuditId,
    UInt128 ParentAuditId)
{
    public bool IsProjectScoped => ProjectId != UInt128.Zero;

    public string UserIdText => IdentityIds.FromNumber(UserId);

    public string? ProjectIdText => IsProjectScoped ? IdentityIds.FromNumber(ProjectId) : null;

    public DateTime IssuedAtTime => DbTime.To(IssuedAt);

    public DateTime ExpiresAtTime => DbTime.To(ExpiresAt);

    /// <summary>Keystone's <c>audit_ids</c>: this token's, then the one it was re-scoped from.</summary>
    public IReadOnlyList<string> AuditIds => ParentAuditId == UInt128.Zero
        ? [AuditIdText(AuditId)]
        : [AuditIdText(AuditId), AuditIdText(ParentAuditId)];

    /// <summary>Keystone's <c>methods</c>, in the order keystone lists them (the token method first).</summary>
    public IReadOnlyList<string> MethodNames
    {
        get
        {
            var names = new List<string>(2);
            if (Methods.HasFlag(TokenMethods.Token))
            {
                names.Add("token");
            }

            if (Methods.HasFlag(TokenMethods.Password))
            {
                names.Add("password");
            }

            return names;
        }
    }

    /// <summary>A fresh random audit id (never zero, which means "none").</summary>
    public static UInt128 NewAuditId()
    {
        Span<byte> bytes = stackalloc byte[16];
        UInt128 value;
        do
        {
            System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
            value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        }
        while (value == UInt128.Zero);

        return value;
    }

    /// <summary>Keystone's audit id text: URL-safe base64 of 16 random bytes without padding (22 characters).</summary>
    public static string AuditIdText(UInt128 auditId)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, auditId);
        return Base64Url.EncodeToString(bytes);
    }
}
