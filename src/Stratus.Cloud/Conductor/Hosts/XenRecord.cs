using System.Globalization;
using Stratus.XenApi;

namespace Stratus.Cloud.Conductor.Hosts;

/// <summary>
/// Typed reads of a XenAPI record as it arrives from any server: ints may be numbers (JSON-RPC) or decimal strings
/// (XML-RPC, real xapi), datetimes strings in xapi's form, and absent fields read as their empty value.
/// </summary>
internal static class XenRecord
{
    public static string String(this IReadOnlyDictionary<string, object?> record, string field) =>
        record.TryGetValue(field, out var value) ? XenValue.ToDbString(value) : "";

    public static long Long(this IReadOnlyDictionary<string, object?> record, string field) =>
        record.TryGetValue(field, out var value) ? ToLong(value) : 0;

    public static double Double(this IReadOnlyDictionary<string, object?> record, string field) =>
        record.TryGetValue(field, out var value) ? value switch
        {
            double d => d,
            long l => l,
            int i => i,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => 0,
        } : 0;

    public static bool Bool(this IReadOnlyDictionary<string, object?> record, string field) =>
        record.TryGetValue(field, out var value) && value switch
        {
            bool b => b,
            string s => s is "1" or "true" or "True",
            long l => l != 0,
            _ => false,
        };

    public static IReadOnlyDictionary<string, object?> Map(this IReadOnlyDictionary<string, object?> record, string field) =>
        record.TryGetValue(field, out var value) && value is IReadOnlyDictionary<string, object?> map ? map : XenValue.EmptyMap;

    public static IReadOnlyList<string> Refs(this IReadOnlyDictionary<string, object?> record, string field) =>
        record.TryGetValue(field, out var value) && value is IReadOnlyList<object?> set ? set.Select(XenValue.ToDbString).ToList() : [];

    public static string? MapValue(this IReadOnlyDictionary<string, object?> record, string field, string key) =>
        record.Map(field).TryGetValue(key, out var value) ? XenValue.ToDbString(value) : null;

    public static DateTime? Time(this IReadOnlyDictionary<string, object?> record, string field) =>
        record.TryGetValue(field, out var value) ? value switch
        {
            DateTime dt => dt,
            string s when XenValue.TryParseDateTime(s, out var parsed) => parsed,
            _ => null,
        } : null;

    public static long ToLong(object? value) => value switch
    {
        long l => l,
        int i => i,
        double d => (long)d,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => (long)parsed,
        _ => 0,
    };

    /// <summary>A call's result as a record (get_record).</summary>
    public static IReadOnlyDictionary<string, object?> AsRecord(object? value) =>
        value as IReadOnlyDictionary<string, object?> ?? XenValue.EmptyMap;

    /// <summary>A call's result as ref → record (get_all_records, get_all_records_where).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> AsRecords(object? value) =>
        value is IReadOnlyDictionary<string, object?> map
            ? map.ToDictionary(p => p.Key, p => AsRecord(p.Value), StringComparer.Ordinal)
            : new Dictionary<string, IReadOnlyDictionary<string, object?>>();

    /// <summary>A call's result as a set of strings (refs).</summary>
    public static IReadOnlyList<string> AsRefs(object? value) =>
        value is IReadOnlyList<object?> set ? set.Select(XenValue.ToDbString).ToList() : [];

    /// <summary>Quotes a literal for a get_all_records_where expression (db_filter_parse.mly: a string in double quotes).</summary>
    public static string Quote(string literal) => "\"" + literal.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
