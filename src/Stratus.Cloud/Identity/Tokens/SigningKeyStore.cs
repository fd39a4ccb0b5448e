using System.Security.Cryptography;
using Dapper;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Identity.Tokens;

/// <summary>
/// The token signing keys, in the database so every controller sharing it signs and verifies alike. Key 1 is created
/// once, by whichever controller starts first (an insert that does nothing if another won the race), then only read.
/// </summary>
internal sealed class SigningKeyStore(IDatabase database, TimeProvider time)
{
    public async Task<IReadOnlyList<SigningKey>> EnsureAsync(CancellationToken cancellationToken)
    {
        await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO identity_signing_keys (id, secret, created_at) VALUES (1, @secret, @now) ON CONFLICT DO NOTHING",
            new { secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), now = DbTime.From(time.GetUtcNow()) },
            transaction, cancellationToken: cancellationToken)), cancellationToken);
        return await database.ReadAsync<IReadOnlyList<SigningKey>>(async connection =>
            (await connection.QueryAsync<(long Id, string Secret)>(new CommandDefinition(
                "SELECT CAST(id AS BIGINT), secret FROM identity_signing_keys ORDER BY id", cancellationToken: cancellationToken)))
                .Select(k => new SigningKey(checked((ushort)k.Id), Convert.FromBase64String(k.Secret))).ToList(), cancellationToken);
    }
}
