using System.Data.Common;
using Dapper;

namespace Stratus.Cloud.Persistence;

/// <summary>
/// Named integer sequences (instance numbers, keypair ids, service ids) in one table, portable where
/// AUTOINCREMENT and SERIAL are not: an upsert that returns the new value.
/// </summary>
internal static class Sequences
{
    public static Task<long> NextAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO sequences (name, value) VALUES (@name, 1) ON CONFLICT (name) DO UPDATE SET value = sequences.value + 1 RETURNING value",
            new { name }, transaction, cancellationToken: cancellationToken));
}
