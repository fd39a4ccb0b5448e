using Dapper;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Compute.Keypairs;

internal sealed class KeypairStore(IDatabase database, TimeProvider time) : IKeypairStore
{
    private const string Columns =
        "id AS Id, user_id AS UserId, name AS Name, key_type AS KeyType, public_key AS PublicKey, fingerprint AS Fingerprint, created_at AS CreatedAt";

    public Task<Keypair?> FindAsync(string userId, string name, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
            (await connection.QueryFirstOrDefaultAsync<Row>(new CommandDefinition(
                $"SELECT {Columns} FROM keypairs WHERE user_id = @userId AND name = @name", new { userId, name }, cancellationToken: cancellationToken)))?.ToKeypair(),
            cancellationToken);

    public Task<IReadOnlyList<Keypair>> ListAsync(string userId, string? marker, int? limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Keypair>>(async connection =>
        {
            var after = marker is null ? "" : " AND name > @marker";
            var take = limit is { } n ? $" LIMIT {Math.Max(0, n)}" : "";
            var rows = await connection.QueryAsync<Row>(new CommandDefinition(
                $"SELECT {Columns} FROM keypairs WHERE user_id = @userId{after} ORDER BY name{take}", new { userId, marker }, cancellationToken: cancellationToken));
            return rows.Select(r => r.ToKeypair()).ToList();
        }, cancellationToken);

    public Task<int> CountAsync(string userId, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM keypairs WHERE user_id = @userId", new { userId }, cancellationToken: cancellationToken)), cancellationToken);

    public Task<Keypair?> CreateAsync(string userId, string name, string type, string publicKey, string fingerprint, CancellationToken cancellationToken) =>
        database.WriteAsync<Keypair?>(async (connection, transaction) =>
        {
            var exists = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM keypairs WHERE user_id = @userId AND name = @name", new { userId, name }, transaction, cancellationToken: cancellationToken));
            if (exists is not null)
            {
                return null;
            }

            var keypair = new Keypair(await Sequences.NextAsync(connection, transaction, "keypairs", cancellationToken), userId, name, type, publicKey, fingerprint, time.GetUtcNow().UtcDateTime);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO keypairs (id, user_id, name, key_type, public_key, fingerprint, created_at) VALUES (@id, @userId, @name, @type, @publicKey, @fingerprint, @createdAt)",
                new { id = keypair.Id, userId, name, type, publicKey, fingerprint, createdAt = DbTime.From(keypair.CreatedAt) }, transaction, cancellationToken: cancellationToken));
            return keypair;
        }, cancellationToken);

    public Task<bool> DeleteAsync(string userId, string name, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM keypairs WHERE user_id = @userId AND name = @name", new { userId, name }, transaction, cancellationToken: cancellationToken)) > 0, cancellationToken);

    private sealed record Row(long Id, string UserId, string Name, string KeyType, string PublicKey, string Fingerprint, long CreatedAt)
    {
        public Keypair ToKeypair() => new(Id, UserId, Name, KeyType, PublicKey, Fingerprint, DbTime.To(CreatedAt));
    }
}
