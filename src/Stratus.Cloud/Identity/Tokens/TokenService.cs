using Stratus.Cloud.Identity.Model;
using Stratus.Cloud.Identity.Storage;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Identity.Tokens;

/// <summary>
/// Issues, validates and revokes tokens. Validation is in memory on the hot path: decode, verify the HMAC, check
/// expiry and the revocation events, then look the principal up in <see cref="IdentityCache"/>; only a cache miss
/// reads the database. Roles are resolved at validation, not frozen into the token (as keystone's Fernet tokens do):
/// a role granted or removed applies to live tokens at once, and a token whose user lost every role on its project
/// stops validating.
/// </summary>
internal sealed class TokenService(TokenCodec codec, IdentityCache cache, PrincipalLoader loader, IdentityDb db, TimeProvider time, CloudOptions options, ILogger<TokenService> logger) : ITokenValidator
{
    public ValueTask<TokenInfo?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var resolving = ResolveAsync(token, cancellationToken);
        if (resolving.IsCompletedSuccessfully)
        {
            return ValueTask.FromResult(resolving.Result is { } valid ? valid.Principal.ToInfo(valid.Payload) : null);
        }

        return AwaitAsync(resolving);

        static async ValueTask<TokenInfo?> AwaitAsync(ValueTask<ValidToken?> resolving) =>
            await resolving is { } valid ? valid.Principal.ToInfo(valid.Payload) : null;
    }

    /// <summary>The token with its principal, or null when it is malformed, forged, expired, revoked, or its user or project is no longer valid.</summary>
    public ValueTask<ValidToken?> ResolveAsync(string token, CancellationToken cancellationToken)
    {
        if (!codec.TryDecode(token, out var payload) || payload.ExpiresAt <= DbTime.From(time.GetUtcNow()))
        {
            return ValueTask.FromResult<ValidToken?>(null);
        }

        var fresh = cache.EnsureFreshAsync(cancellationToken);
        return fresh.IsCompletedSuccessfully ? CheckAsync(payload, cancellationToken) : AfterPollAsync(fresh, payload, cancellationToken);

        async ValueTask<ValidToken?> AfterPollAsync(ValueTask poll, TokenPayload payload, CancellationToken cancellationToken)
        {
            await poll;
            return await CheckAsync(payload, cancellationToken);
        }
    }

    /// <summary>A new token for <paramref name="principal"/>; <paramref name="expiresAt"/> (µs) caps it when re-scoping.</summary>
    public (string Token, ValidToken Valid) Issue(Principal principal, TokenMethods methods, long? expiresAt = null, UInt128 parentAuditId = default)
    {
        var now = DbTime.From(time.GetUtcNow());
        var expires = Math.Min(expiresAt ?? long.MaxValue, now + (options.TokenLifetime.Ticks / 10));
        var payload = new TokenPayload(
            IdentityIds.ToNumber(principal.UserId),
            principal.ProjectId is { } project ? IdentityIds.ToNumber(project) : UInt128.Zero,
            methods,
            now,
            expires,
            TokenPayload.NewAuditId(),
            parentAuditId);
        var token = codec.Encode(payload);
        logger.TokenIssued(TokenPayload.AuditIdText(payload.AuditId), principal.UserId, principal.ProjectId, string.Join(",", payload.MethodNames));
        return (token, new ValidToken(payload, principal));
    }

    /// <summary>The principal for a user and optional project scope (cached), or null when that scope is not allowed.</summary>
    public async ValueTask<Principal?> PrincipalAsync(string userId, string? projectId, CancellationToken cancellationToken)
    {
        if (!IdentityIds.IsHex(userId) || (projectId is not null && !IdentityIds.IsHex(projectId)))
        {
            return null;
        }

        await cache.EnsureFreshAsync(cancellationToken);
        var user = IdentityIds.ToNumber(userId);
        var project = projectId is null ? UInt128.Zero : IdentityIds.ToNumber(projectId);
        if (cache.TryGetPrincipal(user, project, out var cached))
        {
            return cached;
        }

        var epoch = cache.Epoch;
        var principal = await loader.LoadAsync(userId, projectId, cancellationToken);
        cache.StorePrincipal(user, project, principal, epoch);
        return principal;
    }

    public async Task RevokeAsync(TokenPayload payload, CancellationToken cancellationToken)
    {
        await db.WriteAsync(async w =>
        {
            await w.RevokeTokenAsync(payload);
            return 0;
        }, cancellationToken);
        logger.TokenRevoked(TokenPayload.AuditIdText(payload.AuditId), payload.UserIdText);
    }

    private ValueTask<ValidToken?> CheckAsync(TokenPayload payload, CancellationToken cancellationToken)
    {
        if (cache.IsRevoked(payload))
        {
            return ValueTask.FromResult<ValidToken?>(null);
        }

        if (cache.TryGetPrincipal(payload.UserId, payload.ProjectId, out var principal))
        {
            return ValueTask.FromResult<ValidToken?>(principal is null ? null : new ValidToken(payload, principal));
        }

        return LoadAsync(payload, cancellationToken);

        async ValueTask<ValidToken?> LoadAsync(TokenPayload payload, CancellationToken cancellationToken) =>
            await PrincipalAsync(payload.UserIdText, payload.ProjectIdText, cancellationToken) is { } loaded ? new ValidToken(payload, loaded) : null;
    }
}
