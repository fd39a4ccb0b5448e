using System.Globalization;
using Stratus.XenApi;

namespace Stratus.Cli.Xe;

/// <summary>
/// Turns API values, as they arrive from either wire (XML-RPC ints are strings, JSON ints are numbers), into the
/// strings records.ml prints: <c>Int64.to_string</c>, <c>string_of_bool</c>, <c>"%.3f"</c> floats,
/// <c>Date.to_rfc3339</c> (<c>20250131T13:45:07Z</c>), "k: v; k2: v2" maps and "a; b" sets.
/// </summary>
internal static class XeText
{
    public static string Of(object? value) => value switch
    {
        DateTime dt => XenValue.FormatDateTime(dt),
        _ => XenValue.ToDbString(value),
    };

    /// <summary><c>string_of_bool</c>.</summary>
    public static string Bool(object? value) => value switch
    {
        bool b => b ? "true" : "false",
        string s when s is "1" || s.Equals("true", StringComparison.OrdinalIgnoreCase) => "true",
        string s when s is "0" || s.Equals("false", StringComparison.OrdinalIgnoreCase) => "false",
        _ => Of(value),
    };

    public static bool IsTrue(object? value) => Bool(value) == "true";

    /// <summary>records.ml <c>string_of_float</c>: <c>Printf.sprintf "%.3f"</c>.</summary>
    public static string Float(object? value) => value switch
    {
        double d => d.ToString("F3", CultureInfo.InvariantCulture),
        long l => ((double)l).ToString("F3", CultureInfo.InvariantCulture),
        int i => ((double)i).ToString("F3", CultureInfo.InvariantCulture),
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d.ToString("F3", CultureInfo.InvariantCulture),
        _ => Of(value),
    };

    public static double ToDouble(object? value) => value switch
    {
        double d => d,
        long l => l,
        int i => i,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => 0,
    };

    public static long ToLong(object? value) => value switch
    {
        long l => l,
        int i => i,
        double d => (long)d,
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
        _ => 0,
    };

    /// <summary>The elements of a set, each as a string.</summary>
    public static IReadOnlyList<string> Set(object? value) => value switch
    {
        IReadOnlyList<object?> items => items.Select(Of).ToArray(),
        _ => [],
    };

    /// <summary>The pairs of a map, in the order the server sent them.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Map(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> map => map.Select(p => new KeyValuePair<string, string>(p.Key, Of(p.Value))).ToArray(),
        _ => [],
    };

    /// <summary>records.ml <c>get_from_map</c>: "k1: v1; k2: v2".</summary>
    public static string JoinMap(IEnumerable<KeyValuePair<string, string>> pairs) => string.Join("; ", pairs.Select(p => $"{p.Key}: {p.Value}"));

    /// <summary>records.ml <c>concat_with_semi</c>.</summary>
    public static string JoinSemi(IEnumerable<string> items) => string.Join("; ", items);

    /// <summary>records.ml <c>concat_with_comma</c> (kept for tags and a few old fields).</summary>
    public static string JoinComma(IEnumerable<string> items) => string.Join(", ", items);

    /// <summary>A <c>get_all_records</c> answer as ref → record.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> Records(object? value)
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, object?>>(StringComparer.Ordinal);
        if (value is IReadOnlyDictionary<string, object?> map)
        {
            foreach (var (reference, record) in map)
            {
                if (record is IReadOnlyDictionary<string, object?> fields)
                {
                    result[reference] = fields;
                }
            }
        }

        return result;
    }
}
