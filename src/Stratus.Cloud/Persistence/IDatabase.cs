using System.Data.Common;

namespace Stratus.Cloud.Persistence;

/// <summary>
/// The controller's database. Reads run on their own pooled connection; writes run in a transaction that commits
/// when the body returns and rolls back when it throws, so an API call that fails leaves no half-written record.
/// Timestamps are stored as microseconds since the Unix epoch and booleans as 0/1, which both engines index well.
/// </summary>
internal interface IDatabase
{
    SqlDialect Dialect { get; }

    Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken);

    Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken);
}
