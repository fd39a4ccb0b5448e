using Stratus.Cloud.Persistence.Sqlite;

namespace Stratus.Cloud.Persistence;

internal static class PersistenceServices
{
    /// <summary>The database: SQLite in the data directory (PostgreSQL, for several controllers, comes next).</summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services, CloudOptions options) => services
        .AddSingleton<IDatabase>(_ => new SqliteDatabase(Path.Combine(options.DataDirectory, "cloud.db")))
        .AddSingleton<SchemaMigrator>();
}
