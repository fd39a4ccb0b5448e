using System.Data.Common;
using Dapper;
using Stratus.Cloud.Identity.Model;
using Stratus.Cloud.Identity.Tokens;

namespace Stratus.Cloud.Identity.Storage;

/// <summary>
/// One identity write transaction: its connection, and the revocation events it records, which take effect in
/// memory once it commits.
/// </summary>
internal sealed class IdentityWrite(DbConnection connection, DbTransaction transaction, long now, long tokenLifetime, CancellationToken cancellationToken)
{
    private readonly List<Revocation> _revocations = [];

    public DbConnection Connection => connection;

    /// <summary>The transaction's time, in µs since the epoch.</summary>
    public long Now => now;

    public IReadOnlyList<Revocation> Revocations => _revocations;

    public CommandDefinition Command(string sql, object? parameters = null) =>
        new(sql, parameters, transaction, cancellationToken: cancellationToken);

    public Task<int> ExecuteAsync(string sql, object? parameters = null) => connection.ExecuteAsync(Command(sql, parameters));

    public Task<T?> ScalarAsync<T>(string sql, object? parameters = null) => connection.ExecuteScalarAsync<T>(Command(sql, parameters));

    public Task<IEnumerable<T>> QueryAsync<T>(string sql, object? parameters = null) => connection.QueryAsync<T>(Command(sql, parameters));

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters = null) => connection.QuerySingleOrDefaultAsync<T>(Command(sql, parameters));

    /// <summary>Revokes one token (DELETE /v3/auth/tokens); kept until the token would have expired anyway.</summary>
    public Task RevokeTokenAsync(in TokenPayload token) =>
        AddAsync(new Revocation(IdentityIds.New(), TokenPayload.AuditIdText(token.AuditId), null, null, now, token.ExpiresAt));

    /// <summary>Revokes every token of a user issued until now (password change, disabled, deleted).</summary>
    public Task RevokeUserTokensAsync(string userId) =>
        AddAsync(new Revocation(IdentityIds.New(), null, userId, null, now, now + tokenLifetime));

    /// <summary>Revokes every token scoped to a project issued until now (disabled, deleted).</summary>
    public Task RevokeProjectTokensAsync(string projectId) =>
        AddAsync(new Revocation(IdentityIds.New(), null, null, projectId, now, now + tokenLifetime));

    private async Task AddAsync(Revocation revocation)
    {
        await ExecuteAsync(
            """
            INSERT INTO identity_revocations (id, audit_id, user_id, project_id, issued_before, expires_at)
            VALUES (@Id, @AuditId, @UserId, @ProjectId, @IssuedBefore, @ExpiresAt)
            """, revocation);
        _revocations.Add(revocation);
    }
}
