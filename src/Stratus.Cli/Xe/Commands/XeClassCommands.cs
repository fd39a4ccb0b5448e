using Stratus.Cli.Xe.Records;

namespace Stratus.Cli.Xe.Commands;

/// <summary>
/// The commands xapi generates for every CLI class (cli_operations.ml <c>make_param_funs</c>):
/// <c>&lt;c&gt;-list</c>, <c>-param-list</c>, <c>-param-get</c> and, where some field allows it,
/// <c>-param-set</c>, <c>-param-add</c>, <c>-param-remove</c> and <c>-param-clear</c>.
/// </summary>
internal static class XeClassCommands
{
    private const string ExpensiveField = "<expensive field>";

    public static IEnumerable<XeCommandSpec> For(XeRecordType type)
    {
        var all = type.Fields.Where(f => !f.Hidden).ToArray();
        var settable = all.Where(f => f.Set is not null).Select(f => f.Name)
            .Concat(all.Where(f => f.AddToMap is not null || f.SetInMap is not null || f.SetMap is not null).Select(f => f.Name + ":"))
            .ToArray();
        var addable = all.Where(f => f.AddToSet is not null || f.AddToMap is not null).Select(f => f.Name).ToArray();
        var clearable = all.Where(f => f.Set is not null || f.GetSet is not null || f.GetMap is not null).Select(f => f.Name).ToArray();
        var setFilters = all.Where(f => f.GetSet is not null).Select(f => f.Name + ":contains");
        string Cli(string op) => $"{type.Name}-{op}";

        var ops = new List<XeCommandSpec>();
        if (settable.Length > 0)
        {
            ops.Add(new(Cli("param-set"), ["uuid"], settable,
                "Sets the parameter specified. If param-value is not given, the parameter is set to a null value. To set a (key,value) pair in a map parameter, use the syntax 'map-param:key=value'.",
                (inv, ct) => SetAsync(type, inv, ct)));
        }

        ops.Add(new(Cli("list"), [], ["params", "database:", .. all.Select(f => f.Name), .. setFilters],
            $"Lists all the {type.Plural}, filtering on the optional arguments. To filter on map parameters, use the syntax 'map-param:key=value'",
            (inv, ct) => ListAsync(type, inv, ct),
            type.StandardList ? XeCommandFlags.Standard : XeCommandFlags.None));
        ops.Add(new(Cli("param-list"), ["uuid"], ["database:"],
            "Lists all the parameters of the object specified by the uuid.",
            (inv, ct) => ParamListAsync(type, inv, ct)));
        ops.Add(new(Cli("param-get"), ["uuid", "param-name"], ["param-key", "database:"],
            "Gets the parameter specified of the object. If the parameter is a map of key=value pairs, use 'param-key=<key>' to get the value associated with a particular key.",
            (inv, ct) => ParamGetAsync(type, inv, ct)));
        if (addable.Length > 0)
        {
            ops.Add(new(Cli("param-add"), ["uuid", "param-name"], ["param-key"],
                "Adds to a set or map parameter. If the parameter is a set, use param-key=<key to add>. If the parameter is a map, pass the values to add as 'key=value' pairs.",
                (inv, ct) => AddAsync(type, inv, ct)));
            ops.Add(new(Cli("param-remove"), ["uuid", "param-name", "param-key"], [],
                "Removes a member or a key,value pair from a set/map respectively.",
                (inv, ct) => RemoveAsync(type, inv, ct)));
        }

        if (clearable.Length > 0)
        {
            ops.Add(new(Cli("param-clear"), ["uuid", "param-name"], [],
                $"Clears the specified parameter (param-name can be {string.Join(',', clearable)}).",
                (inv, ct) => ClearAsync(type, inv, ct)));
        }

        return ops;
    }

    /// <summary>cli_operations.ml <c>choose_params</c>: params=all (or none) means every field.</summary>
    public static IReadOnlyList<string> ChooseParams(XeParams parameters, IReadOnlyList<string> defaults)
    {
        if (parameters.Get("params") is not { } chosen)
        {
            return defaults;
        }

        return chosen == "all" ? [] : chosen.Split(',');
    }

    /// <summary>
    /// Evaluates the chosen fields of each row for printing: record order, hidden fields never, expensive ones
    /// as "&lt;expensive field&gt;" when <paramref name="cheap"/>.
    /// </summary>
    public static async Task<IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>>> TableAsync(
        IReadOnlyList<XeRow> rows, IReadOnlyList<string> chosen, bool cheap, CancellationToken cancellationToken)
    {
        var table = new List<IReadOnlyList<KeyValuePair<string, string>>>();
        foreach (var row in rows)
        {
            var fields = row.Fields.Where(f => (chosen.Count == 0 || chosen.Contains(f.Name)) && !f.Hidden);
            table.Add(await PrintFieldsAsync(row, fields, cheap, cancellationToken));
        }

        return table;
    }

    public static async Task<IReadOnlyList<KeyValuePair<string, string>>> PrintFieldsAsync(XeRow row, IEnumerable<XeField> fields, bool cheap, CancellationToken cancellationToken)
    {
        var printed = new List<KeyValuePair<string, string>>();
        foreach (var field in fields)
        {
            var value = cheap && field.Expensive ? ExpensiveField : await row.GetAsync(field, cancellationToken);
            if (value is not null)
            {
                printed.Add(new(field.Label, value));
            }
        }

        return printed;
    }

    private static async Task ListAsync(XeRecordType type, XeInvocation inv, CancellationToken ct)
    {
        var all = await XeRows.AllAsync(type, inv.Context, ct);
        var filters = inv.Params.Pairs
            .Where(p => p.Key != "params" && !XeParams.Standard.Contains(p.Key) && !p.Key.StartsWith("database:", StringComparison.Ordinal));
        var rows = await XeFilters.FilterAllAsync(all, [.. type.DefaultFilters, .. filters], ct);
        var printAll = XeParse.BoolParam(inv.Params, "all");
        var table = await TableAsync(printAll ? all : rows, ChooseParams(inv.Params, type.DefaultListParams), cheap: true, ct);
        inv.Printer.Table(table);
    }

    private static async Task ParamListAsync(XeRecordType type, XeInvocation inv, CancellationToken ct)
    {
        var row = await XeRows.ByUuidAsync(type, inv.Context, inv.Params.Required("uuid"), ct);
        inv.Printer.Table([await PrintFieldsAsync(row, row.Fields.Where(f => !f.Hidden), cheap: false, ct)]);
    }

    private static async Task ParamGetAsync(XeRecordType type, XeInvocation inv, CancellationToken ct)
    {
        var row = await XeRows.ByUuidAsync(type, inv.Context, inv.Params.Required("uuid"), ct);
        var field = row.Field(inv.Params.Required("param-name"));
        if (inv.Params.Get("param-key") is { } key && field.GetMap is not null)
        {
            var map = await field.GetMap(row, ct) ?? [];
            var found = map.FirstOrDefault(p => p.Key == key);
            if (found.Key is null)
            {
                throw new XeCliFailure($"Key {key} not found in map");
            }

            inv.Printer.List([found.Value]);
            return;
        }

        inv.Printer.List([await row.GetAsync(field, ct) ?? throw new XeUnknownFieldException(field.Name)]);
    }

    private static async Task SetAsync(XeRecordType type, XeInvocation inv, CancellationToken ct)
    {
        var row = await XeRows.ByUuidAsync(type, inv.Context, inv.Params.Required("uuid"), ct);

        // Pairs for one field's set_map, gathered across the command line and applied at the end.
        var setMaps = new List<(XeField Field, List<KeyValuePair<string, string>> Pairs)>();
        foreach (var (key, value) in inv.Params.Pairs.Where(p => p.Key != "uuid" && !XeParams.Standard.Contains(p.Key)))
        {
            var (kind, name) = XeFilters.FieldKind(key, row.Fields);
            var field = row.Field(name);
            switch (kind)
            {
                case XeFieldKind.Map:
                {
                    var mapKey = key[(name.Length + 1)..];
                    if (field.SetInMap is not null && field.SetMap is null)
                    {
                        await field.SetInMap(row, mapKey, value, ct);
                    }
                    else if (field.SetMap is not null && field.SetInMap is null)
                    {
                        var entry = setMaps.FirstOrDefault(e => e.Field == field);
                        if (entry.Field is null)
                        {
                            entry = (field, []);
                            setMaps.Add(entry);
                        }

                        entry.Pairs.Insert(0, new(mapKey, value));
                    }
                    else if (field.SetInMap is null)
                    {
                        var add = field.AddToMap ?? throw new XeCliFailure($"Map field '{name}' is read-only.");
                        var remove = field.RemoveFromMap ?? throw new XeCliFailure($"Records broken (field {name})");
                        var map = await field.GetMap!(row, ct) ?? [];
                        if (map.Any(p => p.Key == mapKey))
                        {
                            await remove(row, mapKey, ct);
                        }

                        await add(row, mapKey, value, ct);
                    }
                    else
                    {
                        throw new XeCliFailure($"Broken Records (field {name})");
                    }

                    break;
                }

                case XeFieldKind.Set:
                    throw new XeCliFailure("Cannot param-set on set fields");
                default:
                {
                    var set = field.Set
                        ?? (field.AddToMap is not null
                            ? throw new XeCliFailure($"Field '{key}' is a map or set. use the 'name:key=value' syntax.")
                            : throw new XeCliFailure($"Field '{key}' is read-only."));
                    await set(row, value, ct);
                    break;
                }
            }
        }

        foreach (var (field, pairs) in setMaps)
        {
            await field.SetMap!(row, pairs, ct);
        }
    }

    private static async Task AddAsync(XeRecordType type, XeInvocation inv, CancellationToken ct)
    {
        var row = await XeRows.ByUuidAsync(type, inv.Context, inv.Params.Required("uuid"), ct);
        var field = row.Field(inv.Params.Required("param-name"));
        if (field.AddToSet is not null)
        {
            var key = inv.Params.Get("param-key")
                ?? throw new XeCliFailure("When adding a key to a set, use the syntax: *-param-add param-name=<name> param-key=<key>");
            await field.AddToSet(row, key, ct);
        }
        else if (field.AddToMap is not null)
        {
            foreach (var (k, v) in inv.Params.Pairs.Where(p => p.Key is not ("uuid" or "param-name" or "param-key") && !XeParams.Standard.Contains(p.Key)))
            {
                await field.AddToMap(row, k, v, ct);
            }
        }
        else if (field.GetSet is not null || field.GetMap is not null)
        {
            throw new XeCliFailure("Parameter is read-only");
        }
        else
        {
            throw new XeCliFailure("Can only add to parameters of type Set or Map");
        }
    }

    private static async Task RemoveAsync(XeRecordType type, XeInvocation inv, CancellationToken ct)
    {
        var row = await XeRows.ByUuidAsync(type, inv.Context, inv.Params.Required("uuid"), ct);
        var field = row.Field(inv.Params.Required("param-name"));
        var key = inv.Params.Required("param-key");
        if (field.GetSet is not null && field.RemoveFromSet is not null)
        {
            var set = await field.GetSet(row, ct) ?? [];
            await (set.Contains(key) ? field.RemoveFromSet(row, key, ct) : throw new XeCliFailure($"Key {key} is not in the set"));
        }
        else if (field.GetMap is not null && field.RemoveFromMap is not null)
        {
            var map = await field.GetMap(row, ct) ?? [];
            await (map.Any(p => p.Key == key) ? field.RemoveFromMap(row, key, ct) : throw new XeCliFailure($"Key {key} is not in map"));
        }
        else if (field.GetSet is not null || field.GetMap is not null)
        {
            throw new XeCliFailure("Cannot remove parameters from read-only map");
        }
        else
        {
            throw new XeCliFailure("Can only remove from parameters of type Set or Map");
        }
    }

    private static async Task ClearAsync(XeRecordType type, XeInvocation inv, CancellationToken ct)
    {
        var row = await XeRows.ByUuidAsync(type, inv.Context, inv.Params.Required("uuid"), ct);
        var field = row.Field(inv.Params.Required("param-name"));
        if (field.GetSet is not null && field.RemoveFromSet is not null)
        {
            foreach (var member in await field.GetSet(row, ct) ?? [])
            {
                await field.RemoveFromSet(row, member, ct);
            }
        }
        else if (field.ClearMap is not null)
        {
            await field.ClearMap(row, ct);
        }
        else if (field.SetMap is not null)
        {
            await field.SetMap(row, [], ct);
        }
        else if (field.GetMap is not null && field.RemoveFromMap is not null)
        {
            foreach (var (key, _) in await field.GetMap(row, ct) ?? [])
            {
                await field.RemoveFromMap(row, key, ct);
            }
        }
        else if (field.Set is not null)
        {
            try
            {
                await field.Set(row, "", ct);
            }
            catch (Exception e) when (e is Stratus.XenApi.XenApiFailure or XeCliFailure)
            {
                throw new XeCliFailure("Cannot clear this parameter");
            }
        }
        else
        {
            throw new XeCliFailure("Can only clear RW parameters");
        }
    }
}
