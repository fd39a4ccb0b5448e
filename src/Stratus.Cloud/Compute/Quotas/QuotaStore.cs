using Dapper;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Compute.Quotas;

internal sealed class QuotaStore(IDatabase database) : IQuotaStore
{
    public Task<IReadOnlyDictionary<string, long>> LimitsAsync(string projectId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyDictionary<string, long>>(async connection =>
        {
            var limits = new SortedDictionary<string, long>(QuotaResources.Defaults.ToDictionary(), StringComparer.Ordinal);
            var rows = await connection.QueryAsync<(string Resource, long HardLimit)>(new CommandDefinition(
                "SELECT resource, hard_limit FROM quota_limits WHERE project_id = @projectId", new { projectId }, cancellationToken: cancellationToken));
            foreach (var (resource, limit) in rows)
            {
                limits[resource] = limit;
            }

            return limits;
        }, cancellationToken);

    public Task SetAsync(string projectId, IReadOnlyDictionary<string, long> limits, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            foreach (var (resource, limit) in limits)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO quota_limits (project_id, resource, hard_limit) VALUES (@projectId, @resource, @limit)
                    ON CONFLICT (project_id, resource) DO UPDATE SET hard_limit = excluded.hard_limit
                    """, new { projectId, resource, limit }, transaction, cancellationToken: cancellationToken));
            }

            return 0;
        }, cancellationToken);

    public Task ResetAsync(string projectId, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM quota_limits WHERE project_id = @projectId", new { projectId }, transaction, cancellationToken: cancellationToken)), cancellationToken);
}
