using System.Text.Json;
using Dapper;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Compute.Services;

internal sealed class ServiceStore(IDatabase database, TimeProvider time) : IServiceStore
{
    public Task<IReadOnlyList<ServiceRecord>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ServiceRecord>>(async connection =>
            (await connection.QueryAsync<string>(new CommandDefinition("SELECT data FROM services ORDER BY id", cancellationToken: cancellationToken)))
                .Select(Parse).ToList(), cancellationToken);

    public Task<ServiceRecord?> FindAsync(long id, CancellationToken cancellationToken) =>
        FindWhereAsync("id = @id", new { id }, cancellationToken);

    public Task<ServiceRecord?> FindAsync(Guid uuid, CancellationToken cancellationToken) =>
        FindWhereAsync("uuid = @uuid", new { uuid = uuid.ToString() }, cancellationToken);

    public Task<ServiceRecord?> FindAsync(string binary, string host, CancellationToken cancellationToken) =>
        FindWhereAsync("binary_name = @binary AND host = @host", new { binary, host }, cancellationToken);

    public Task<ServiceRecord> EnsureAsync(string binary, string host, string zone, HostConnection? hostConnection, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var existing = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT data FROM services WHERE binary_name = @binary AND host = @host", new { binary, host }, transaction, cancellationToken: cancellationToken));
            if (existing is not null)
            {
                return Parse(existing);
            }

            var now = time.GetUtcNow().UtcDateTime;
            var record = new ServiceRecord
            {
                Id = await Sequences.NextAsync(connection, transaction, "services", cancellationToken),
                Uuid = Guid.NewGuid(),
                Binary = binary,
                Host = host,
                Zone = zone,
                CreatedAt = now,
                UpdatedAt = now,
                Connection = hostConnection,
            };
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO services (id, uuid, binary_name, host, data) VALUES (@id, @uuid, @binary, @host, @data)",
                new { id = record.Id, uuid = record.Uuid.ToString(), binary, host, data = Serialize(record) }, transaction, cancellationToken: cancellationToken));
            return record;
        }, cancellationToken);

    public Task<ServiceRecord?> UpdateAsync(long id, Func<ServiceRecord, ServiceRecord?> change, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var data = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT data FROM services WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
            if (data is null || change(Parse(data)) is not { } changed)
            {
                return null;
            }

            var stored = changed with { UpdatedAt = time.GetUtcNow().UtcDateTime };
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE services SET data = @data WHERE id = @id", new { id, data = Serialize(stored) }, transaction, cancellationToken: cancellationToken));
            return stored;
        }, cancellationToken);

    public Task<bool> DeleteAsync(long id, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM services WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken)) > 0,
            cancellationToken);

    private Task<ServiceRecord?> FindWhereAsync(string where, object parameters, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var data = await connection.ExecuteScalarAsync<string?>(new CommandDefinition($"SELECT data FROM services WHERE {where}", parameters, cancellationToken: cancellationToken));
            return data is null ? null : Parse(data);
        }, cancellationToken);

    private static string Serialize(ServiceRecord record) => JsonSerializer.Serialize(record, ServiceJson.Default.ServiceRecord);

    private static ServiceRecord Parse(string data) =>
        JsonSerializer.Deserialize(data, ServiceJson.Default.ServiceRecord) ?? throw new InvalidDataException("a service row holds no document");
}
