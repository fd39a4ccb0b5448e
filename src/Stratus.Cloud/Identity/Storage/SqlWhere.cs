using Dapper;

namespace Stratus.Cloud.Identity.Storage;

/// <summary>Builds a WHERE clause from optional filters, with parameters, never by pasting values into SQL.</summary>
internal sealed class SqlWhere
{
    private readonly List<string> _clauses = [];

    public DynamicParameters Parameters { get; } = new();

    public SqlWhere Equal(string column, string name, object? value)
    {
        if (value is not null)
        {
            _clauses.Add($"{column} = @{name}");
            Parameters.Add(name, value);
        }

        return this;
    }

    public SqlWhere Flag(string column, string name, bool? value) => Equal(column, name, value is { } v ? (v ? 1 : 0) : null);

    public override string ToString() => _clauses.Count == 0 ? "" : " WHERE " + string.Join(" AND ", _clauses);
}
