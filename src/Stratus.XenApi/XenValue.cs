using System.Globalization;

namespace Stratus.XenApi;

/// <summary>
/// Helpers for XenAPI values in their canonical in-memory forms: string, long (int), int (the wire's <c>i4</c>,
/// used only by <c>valid_ref_counts</c>), double, bool, UTC <see cref="DateTime"/>, sets as
/// <see cref="IReadOnlyList{T}"/> and maps/records as <see cref="IReadOnlyDictionary{TKey,TValue}"/> with string keys.
/// </summary>
public static class XenValue
{
    public static readonly IReadOnlyList<object?> EmptySet = [];

    public static readonly IReadOnlyDictionary<string, object?> EmptyMap = new Dictionary<string, object?>();

    private static readonly string[] DateFormats =
    [
        "yyyyMMdd'T'HH:mm:ss'Z'", "yyyyMMdd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyyMMdd'T'HHmmss'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyyMMdd'T'HH:mm:ssK",
    ];

    public static IReadOnlyList<object?> Set(params object?[] items) => items;

    public static IReadOnlyDictionary<string, object?> Map(params (string Key, object? Value)[] pairs)
    {
        var map = new Dictionary<string, object?>(pairs.Length, StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            map[key] = value;
        }

        return map;
    }

    /// <summary>xapi's datetime form, <c>20250131T13:45:07Z</c> (ocaml/libs/clock/date.ml).</summary>
    public static string FormatDateTime(DateTime value) =>
        value.ToUniversalTime().ToString("yyyyMMdd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Accepts xapi's form and the ISO 8601 variants the SDKs send.</summary>
    public static bool TryParseDateTime(string text, out DateTime value)
    {
        if (DateTime.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out value))
        {
            value = DateTime.SpecifyKind(value, DateTimeKind.Utc);
            return true;
        }

        return false;
    }

    /// <summary>How a value reads as a map key or a filter operand: the database's string representation.</summary>
    public static string ToDbString(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => FormatDouble(d),
        DateTime dt => FormatDateTime(dt),
        _ => value.ToString() ?? "",
    };

    /// <summary>Formats like C's <c>%.16g</c>, as ocaml-rpc does.</summary>
    public static string FormatDouble(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return "0";
        }

        var text = value.ToString("G16", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e < 0)
        {
            return text;
        }

        // C prints at least two exponent digits and always a sign: 1e+20, 1e-05.
        var mantissa = text[..e];
        var exponent = int.Parse(text.AsSpan(e + 1), CultureInfo.InvariantCulture);
        return $"{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
    }
}
