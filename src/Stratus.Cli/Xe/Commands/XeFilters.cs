using Stratus.Cli.Xe.Records;

namespace Stratus.Cli.Xe.Commands;

/// <summary>
/// Filtering records by <c>field=value</c> (cli_operations.ml <c>filter_records_on_fields</c>): plain fields compare
/// their printed value; <c>map:key=value</c> (or the old <c>map-key=value</c>) compares one map entry;
/// <c>set:contains=value</c> tests membership. The kind of field is judged on the first record.
/// </summary>
internal static class XeFilters
{
    public static async Task<IReadOnlyList<XeRow>> FilterAsync(IReadOnlyList<XeRow> rows, string key, string value, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return rows;
        }

        var (kind, fieldName) = FieldKind(key, rows[0].Fields);
        var result = new List<XeRow>();
        foreach (var row in rows)
        {
            if (await MatchesAsync(row, kind, fieldName, key, value, cancellationToken))
            {
                result.Add(row);
            }
        }

        return result;
    }

    /// <summary>Applies the filters in order.</summary>
    public static async Task<IReadOnlyList<XeRow>> FilterAllAsync(IReadOnlyList<XeRow> rows, IEnumerable<KeyValuePair<string, string>> filters, CancellationToken cancellationToken)
    {
        foreach (var (key, value) in filters)
        {
            rows = await FilterAsync(rows, key, value, cancellationToken);
        }

        return rows;
    }

    /// <summary>cli_operations.ml <c>get_field_type</c>.</summary>
    public static (XeFieldKind Kind, string Field) FieldKind(string name, IReadOnlyList<XeField> fields)
    {
        if (fields.Any(f => f.Name == name))
        {
            return (XeFieldKind.Normal, name);
        }

        var colon = name.IndexOf(':');
        if (colon >= 0)
        {
            var real = name[..colon];
            var field = fields.FirstOrDefault(f => f.Name == real) ?? throw new XeCliFailure($"Unknown field '{name}'");
            return field.GetSet is not null ? (XeFieldKind.Set, field.Name)
                : field.GetMap is not null ? (XeFieldKind.Map, field.Name)
                : throw new XeCliFailure($"Field '{field.Name}' is not a set or map");
        }

        // The old syntax, map-name-key=value: the longest map (then set) whose name is a prefix.
        var map = fields.Where(f => f.GetMap is not null).OrderByDescending(f => f.Name.Length).FirstOrDefault(f => name.StartsWith(f.Name + "-", StringComparison.Ordinal));
        if (map is not null)
        {
            return (XeFieldKind.Map, map.Name);
        }

        var set = fields.Where(f => f.GetSet is not null).OrderByDescending(f => f.Name.Length).FirstOrDefault(f => name.StartsWith(f.Name + "-", StringComparison.Ordinal));
        return set is not null ? (XeFieldKind.Set, set.Name) : throw new XeCliFailure($"Unknown field '{name}'");
    }

    private static async Task<bool> MatchesAsync(XeRow row, XeFieldKind kind, string fieldName, string key, string value, CancellationToken cancellationToken)
    {
        var field = row.Field(fieldName);
        switch (kind)
        {
            case XeFieldKind.Normal:
            {
                var actual = await row.GetAsync(field, cancellationToken);
                return actual is not null && (field.CaseInsensitive
                    ? string.Equals(actual, value, StringComparison.OrdinalIgnoreCase)
                    : actual == value);
            }

            case XeFieldKind.Map:
            {
                var mapKey = key[(fieldName.Length + 1)..];
                try
                {
                    var map = await field.GetMap!(row, cancellationToken) ?? [];
                    var comparison = field.CaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                    foreach (var (k, v) in map)
                    {
                        if (string.Equals(k, mapKey, comparison))
                        {
                            // List.assoc: only the first entry with that key counts.
                            return string.Equals(v, value, comparison);
                        }
                    }

                    return false;
                }
                catch (Stratus.XenApi.XenApiFailure)
                {
                    return false;
                }
            }

            default:
            {
                if (key[(fieldName.Length + 1)..] != "contains")
                {
                    throw new XeCliFailure("Invalid syntax for set filtering (should be set-param:contains=key)");
                }

                try
                {
                    var set = await field.GetSet!(row, cancellationToken) ?? [];
                    var comparison = field.CaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                    return set.Any(member => string.Equals(member, value, comparison));
                }
                catch (Stratus.XenApi.XenApiFailure)
                {
                    return false;
                }
            }
        }
    }
}
