using System.Text.Json;
using Dapper;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Conductor.Work;

internal sealed class WorkStore(IDatabase database, TimeProvider time) : IWorkStore
{
    public Task AddAsync(WorkItem item, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO conductor_work (id, instance_id, kind, request_id, created_at, updated_at, data)
            VALUES (@id, @instanceId, @kind, @requestId, @createdAt, @updatedAt, @data)
            """,
            new
            {
                id = item.Id.ToString(),
                instanceId = item.InstanceId.ToString(),
                kind = item.Kind.ToString(),
                requestId = item.RequestId,
                createdAt = DbTime.From(item.CreatedAt),
                updatedAt = DbTime.From(time.GetUtcNow()),
                data = JsonSerializer.Serialize(item.Data, WorkJson.Default.WorkData),
            }, transaction, cancellationToken: cancellationToken)), cancellationToken);

    public Task UpdateAsync(WorkItem item, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE conductor_work SET data = @data, updated_at = @updatedAt WHERE id = @id",
            new { id = item.Id.ToString(), updatedAt = DbTime.From(time.GetUtcNow()), data = JsonSerializer.Serialize(item.Data, WorkJson.Default.WorkData) },
            transaction, cancellationToken: cancellationToken)), cancellationToken);

    public Task RemoveAsync(Guid id, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM conductor_work WHERE id = @id", new { id = id.ToString() }, transaction, cancellationToken: cancellationToken)), cancellationToken);

    public Task<IReadOnlyList<WorkItem>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<WorkItem>>(async connection =>
        {
            var rows = await connection.QueryAsync<Row>(new CommandDefinition(
                "SELECT id AS Id, instance_id AS InstanceId, kind AS Kind, request_id AS RequestId, created_at AS CreatedAt, data AS Data FROM conductor_work ORDER BY created_at, id",
                cancellationToken: cancellationToken));
            return [.. rows.Select(r => new WorkItem(
                Guid.Parse(r.Id), Guid.Parse(r.InstanceId), Enum.Parse<WorkKind>(r.Kind), r.RequestId, DbTime.To(r.CreatedAt),
                JsonSerializer.Deserialize(r.Data, WorkJson.Default.WorkData) ?? new WorkData()))];
        }, cancellationToken);

    private sealed record Row(string Id, string InstanceId, string Kind, string RequestId, long CreatedAt, string Data);
}
