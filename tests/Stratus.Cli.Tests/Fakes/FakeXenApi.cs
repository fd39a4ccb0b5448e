using System.Globalization;
using System.Text.RegularExpressions;
using Stratus.Cli.Xe;
using Stratus.XenApi;

namespace Stratus.Cli.Tests.Fakes;

/// <summary>
/// A XenAPI at the protocol boundary, in memory: tables of records keyed by ref, the generic calls xapi generates for
/// every class (get_all_records[_where], get_record, get_by_uuid, get_by_name_label, get_X, set_X, add_to_X,
/// remove_from_X) and per-test handlers for anything else. Unknown calls fail with MESSAGE_METHOD_UNKNOWN, as xapi's do.
/// </summary>
internal sealed partial class FakeXenApi : IXenApi
{
    public Dictionary<string, Dictionary<string, Dictionary<string, object?>>> Tables { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Func<IReadOnlyList<object?>, object?>> Handlers { get; } = new(StringComparer.Ordinal);

    public List<(string Method, IReadOnlyList<object?> Arguments)> Calls { get; } = [];

    public Dictionary<string, object?> Add(string apiClass, string reference, Dictionary<string, object?> record)
    {
        if (!Tables.TryGetValue(apiClass, out var table))
        {
            table = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
            Tables[apiClass] = table;
        }

        table[reference] = record;
        return record;
    }

    public Task<object?> CallAsync(string method, IReadOnlyList<object?> arguments, CancellationToken cancellationToken)
    {
        Calls.Add((method, arguments));
        if (Handlers.TryGetValue(method, out var handler))
        {
            return Task.FromResult(handler(arguments));
        }

        var dot = method.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || !Tables.TryGetValue(method[..dot], out var table))
        {
            throw new XenApiFailure(XenErrors.MessageMethodUnknown, method);
        }

        var apiClass = method[..dot];
        var op = method[(dot + 1)..];
        return Task.FromResult(Generic(apiClass, table, op, method, arguments));
    }

    private static object? Generic(string apiClass, Dictionary<string, Dictionary<string, object?>> table, string op, string method, IReadOnlyList<object?> args)
    {
        switch (op)
        {
            case "get_all_records":
                return table.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal);
            case "get_all":
                return table.Keys.Cast<object?>().ToArray();
            case "get_all_records_where":
            {
                var expr = (string)args[0]!;
                if (expr == "true")
                {
                    return table.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal);
                }

                var match = UuidOrName().Match(expr);
                if (!match.Success)
                {
                    throw new XenApiFailure(XenErrors.InternalError, "unsupported expression " + expr);
                }

                var wanted = match.Groups[1].Value.Replace("\\\"", "\"", StringComparison.Ordinal);
                return table.Where(p => Text(p.Value["uuid"]) == wanted || Text(p.Value.GetValueOrDefault("name_label")) == wanted)
                    .ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal);
            }

            case "get_record":
                return Find(apiClass, table, args[0]);
            case "get_by_uuid":
                return table.FirstOrDefault(p => Text(p.Value["uuid"]) == (string)args[0]!).Key
                    ?? throw new XenApiFailure(XenErrors.UuidInvalid, apiClass, (string)args[0]!);
            case "get_by_name_label":
                return table.Where(p => Text(p.Value.GetValueOrDefault("name_label")) == (string)args[0]!).Select(p => (object?)p.Key).ToArray();
        }

        if (args.Count == 0)
        {
            throw new XenApiFailure(XenErrors.MessageMethodUnknown, method);
        }

        if (op.StartsWith("get_", StringComparison.Ordinal))
        {
            var record = Find(apiClass, table, args[0]);
            return record.TryGetValue(op[4..], out var value) ? value : throw new XenApiFailure(XenErrors.MessageMethodUnknown, method);
        }

        if (op.StartsWith("set_", StringComparison.Ordinal))
        {
            var record = Find(apiClass, table, args[0]);
            var field = op[4..];
            if (!record.ContainsKey(field))
            {
                throw new XenApiFailure(XenErrors.MessageMethodUnknown, method);
            }

            record[field] = args[1] is long l ? l.ToString(CultureInfo.InvariantCulture) : args[1];
            return "";
        }

        if (op.StartsWith("add_to_", StringComparison.Ordinal) || op.StartsWith("remove_from_", StringComparison.Ordinal))
        {
            var record = Find(apiClass, table, args[0]);
            var adding = op.StartsWith("add_to_", StringComparison.Ordinal);
            var field = adding ? op["add_to_".Length..] : op["remove_from_".Length..];
            var map = new Dictionary<string, object?>((IReadOnlyDictionary<string, object?>)record[field]!, StringComparer.Ordinal);
            var key = (string)args[1]!;
            if (adding)
            {
                if (!map.TryAdd(key, args[2]))
                {
                    throw new XenApiFailure(XenErrors.MapDuplicateKey, apiClass, field, Text(record["uuid"]), key);
                }
            }
            else
            {
                map.Remove(key);
            }

            record[field] = map;
            return "";
        }

        if (op.StartsWith("add_", StringComparison.Ordinal) || op.StartsWith("remove_", StringComparison.Ordinal))
        {
            var record = Find(apiClass, table, args[0]);
            var adding = op.StartsWith("add_", StringComparison.Ordinal);
            var field = adding ? op["add_".Length..] : op["remove_".Length..];
            if (record.GetValueOrDefault(field) is not IReadOnlyList<object?> set)
            {
                throw new XenApiFailure(XenErrors.MessageMethodUnknown, method);
            }

            record[field] = adding
                ? set.Contains(args[1]) ? set : [.. set, args[1]]
                : set.Where(x => !Equals(x, args[1])).ToArray();
            return "";
        }

        throw new XenApiFailure(XenErrors.MessageMethodUnknown, method);
    }

    private static Dictionary<string, object?> Find(string apiClass, Dictionary<string, Dictionary<string, object?>> table, object? reference) =>
        reference is string r && table.TryGetValue(r, out var record) ? record : throw new XenApiFailure(XenErrors.HandleInvalid, apiClass, reference as string ?? "");

    private static string Text(object? value) => value as string ?? "";

    [GeneratedRegex("^\\(field \"uuid\"=\"((?:[^\"\\\\]|\\\\.)*)\"\\) or \\(field \"name__label\"=\"(?:[^\"\\\\]|\\\\.)*\"\\)$")]
    private static partial Regex UuidOrName();
}
