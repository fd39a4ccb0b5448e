using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Dapper;

namespace Stratus.Cloud.Network.Storage;

/// <summary>
/// A table of JSON documents with an <c>id</c> key, a <c>data</c> column and the index columns a resource needs
/// (given by <paramref name="columns"/>). Portable SQL only; every call runs on the caller's connection and
/// transaction so a whole API operation commits or rolls back together.
/// </summary>
internal sealed class DocumentTable<T>(string table, JsonTypeInfo<T> type, Func<T, string> idOf, Func<T, IReadOnlyList<(string Column, object? Value)>> columns)
    where T : class
{
    private readonly Lazy<string[]> _columnNames = new(() => [.. columns(default!).Select(c => c.Column)]);

    public string Name => table;

    public T Parse(string data) => JsonSerializer.Deserialize(data, type) ?? throw new InvalidDataException($"a {table} row holds no document");

    public async Task<T?> FindAsync(DbConnection connection, DbTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        var data = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            $"SELECT data FROM {table} WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        return data is null ? null : Parse(data);
    }

    /// <summary>Rows matching a WHERE clause over the table's columns (empty: all rows).</summary>
    public async Task<List<T>> WhereAsync(DbConnection connection, DbTransaction? transaction, string where, object? parameters, CancellationToken cancellationToken)
    {
        var sql = where.Length == 0 ? $"SELECT data FROM {table}" : $"SELECT data FROM {table} WHERE {where}";
        var rows = await connection.QueryAsync<string>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
        return rows.Select(Parse).ToList();
    }

    /// <summary>Rows whose <paramref name="column"/> is one of <paramref name="values"/>, in chunks the engines accept.</summary>
    public async Task<List<T>> InAsync(DbConnection connection, DbTransaction? transaction, string column, IEnumerable<string> values, CancellationToken cancellationToken)
    {
        var result = new List<T>();
        foreach (var chunk in values.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            result.AddRange(await WhereAsync(connection, transaction, $"{column} IN @values", new { values = chunk }, cancellationToken));
        }

        return result;
    }

    public Task InsertAsync(DbConnection connection, DbTransaction transaction, T item, CancellationToken cancellationToken)
    {
        var names = _columnNames.Value;
        var sql = $"INSERT INTO {table} (id, {string.Join(", ", names)}, data) VALUES (@id, {string.Join(", ", names.Select(n => "@" + n))}, @data)";
        return connection.ExecuteAsync(new CommandDefinition(sql, Parameters(item), transaction, cancellationToken: cancellationToken));
    }

    public async Task UpdateAsync(DbConnection connection, DbTransaction transaction, T item, CancellationToken cancellationToken)
    {
        var names = _columnNames.Value;
        var sql = $"UPDATE {table} SET {string.Join(", ", names.Select(n => $"{n} = @{n}"))}, data = @data WHERE id = @id";
        if (await connection.ExecuteAsync(new CommandDefinition(sql, Parameters(item), transaction, cancellationToken: cancellationToken)) != 1)
        {
            throw new InvalidOperationException($"{table} row {idOf(item)} vanished during an update");
        }
    }

    public async Task<bool> DeleteAsync(DbConnection connection, DbTransaction transaction, string id, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM {table} WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken)) > 0;

    private DynamicParameters Parameters(T item)
    {
        var parameters = new DynamicParameters();
        parameters.Add("id", idOf(item));
        foreach (var (column, value) in columns(item))
        {
            parameters.Add(column, value);
        }

        parameters.Add("data", JsonSerializer.Serialize(item, type));
        return parameters;
    }
}
