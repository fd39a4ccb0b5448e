using Dapper;

namespace Stratus.Cloud.Persistence;

/// <summary>Brings every area's tables up to date at start, each migration in its own transaction.</summary>
internal sealed partial class SchemaMigrator(IDatabase database, IEnumerable<ISchema> schemas, ILogger<SchemaMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                CREATE TABLE IF NOT EXISTS schema_versions (area TEXT PRIMARY KEY, version INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS sequences (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
                """, transaction: transaction, cancellationToken: cancellationToken));
            return 0;
        }, cancellationToken);

        foreach (var schema in schemas)
        {
            var current = await database.ReadAsync(connection => connection.ExecuteScalarAsync<int?>(new CommandDefinition(
                "SELECT version FROM schema_versions WHERE area = @area", new { area = schema.Area }, cancellationToken: cancellationToken)), cancellationToken) ?? 0;
            for (var version = current + 1; version <= schema.Migrations.Count; version++)
            {
                var sql = schema.Migrations[version - 1];
                var applied = version;
                await database.WriteAsync(async (connection, transaction) =>
                {
                    await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
                    await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO schema_versions (area, version) VALUES (@area, @version) ON CONFLICT (area) DO UPDATE SET version = excluded.version",
                        new { area = schema.Area, version = applied }, transaction, cancellationToken: cancellationToken));
                    return 0;
                }, cancellationToken);
                LogMigrated(logger, schema.Area, version);
            }
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Database: {Area} schema now at version {Version}")]
    private static partial void LogMigrated(ILogger logger, string area, int version);
}
