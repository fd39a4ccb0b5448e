using System.Globalization;
using System.Text.RegularExpressions;

namespace Stratus.Cli.Xe;

/// <summary>
/// Parses what users type, with record_util.ml's and records.ml's error messages (they print as "Error: ...").
/// </summary>
internal static partial class XeParse
{
    /// <summary>
    /// record_util.ml <c>bytes_of_string</c>: an integer, optional blanks, then an optional binary suffix
    /// (b/bytes, k/kb/kib, m/mb/mib, g/gb/gib, t/tb/tib, any case). Every suffix is a power of 1024.
    /// </summary>
    public static long Bytes(string field, string text)
    {
        var match = BytesPattern().Match(text);
        if (match.Success && long.TryParse(match.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var size) && size >= 0)
        {
            var multiplier = match.Groups[2].Value.ToLowerInvariant() switch
            {
                "" or "b" or "bytes" => 1L,
                "k" or "kb" or "kib" => 1L << 10,
                "m" or "mb" or "mib" => 1L << 20,
                "g" or "gb" or "gib" => 1L << 30,
                "t" or "tb" or "tib" => 1L << 40,
                _ => 0L,
            };
            if (multiplier > 0)
            {
                // OCaml's Int64.mul wraps on overflow; so does unchecked C# arithmetic.
                return unchecked(size * multiplier);
            }
        }

        throw new XeCliFailure($"Failed to parse field '{field}': expecting an integer (possibly with suffix KiB, MiB, GiB, TiB), got '{text}'");
    }

    /// <summary>record_util.ml <c>bool_of_string</c>, which CLI parameters such as force= and shared= go through.</summary>
    public static bool Bool(string text) => text.ToLowerInvariant() switch
    {
        "true" or "t" or "yes" or "y" or "1" => true,
        "false" or "f" or "no" or "n" or "0" => false,
        _ => throw new XeCliFailure($"Expected 'true','t','yes','y','1','false','f','no','n','0' got {text}"),
    };

    /// <summary>cli_operations.ml <c>get_bool_param</c>: names the parameter when the value does not parse.</summary>
    public static bool BoolParam(XeParams parameters, string name, bool defaultValue = false)
    {
        if (parameters.Get(name) is not { } text)
        {
            return defaultValue;
        }

        try
        {
            return Bool(text);
        }
        catch (XeCliFailure e)
        {
            throw new XeCliFailure($"Failed to parse parameter '{name}': {e.Message}");
        }
    }

    /// <summary>records.ml <c>safe_i64_of_string</c>.</summary>
    public static long SafeInt(string field, string text) =>
        TryOcamlInt(text, out var value) ? value : throw new XeCliFailure($"Failed to parse parameter '{field}': expecting an integer");

    /// <summary>records.ml <c>safe_bool_of_string</c> (OCaml's strict bool_of_string: "true" or "false").</summary>
    public static bool SafeBool(string field, string text) => text switch
    {
        "true" => true,
        "false" => false,
        _ => throw new XeCliFailure($"Failed to parse parameter '{field}': expecting a boolean (true or false)"),
    };

    /// <summary>
    /// OCaml's plain <c>bool_of_string</c> inside a param-set setter: its Invalid_argument is turned into
    /// "Parameter k must be a boolean (true or false)" by cli_operations.ml <c>p_set</c>.
    /// </summary>
    public static bool RawBool(string field, string text) => text switch
    {
        "true" => true,
        "false" => false,
        _ => throw new XeCliFailure($"Parameter {field} must be a boolean (true or false)"),
    };

    /// <summary>OCaml's <c>float_of_string</c> inside a setter; p_set reports "Parameter k must be a floating-point number".</summary>
    public static double RawFloat(string field, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new XeCliFailure($"Parameter {field} must be a floating-point number");

    /// <summary>
    /// A generated <c>X_of_string</c> (gen_api.ml): the datamodel's names, matched without case.
    /// </summary>
    public static string Enum(IReadOnlyList<string> values, string text)
    {
        foreach (var value in values)
        {
            if (value.Equals(text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        throw new XeCliFailure($"Expected one of {string.Join(", ", values.Select(v => $"'{v}'"))}, got {text.ToLowerInvariant()}");
    }

    /// <summary>OCaml's Int64.of_string: decimal, or 0x/0o/0b prefixed, with '_' separators allowed.</summary>
    public static bool TryOcamlInt(string text, out long value)
    {
        var s = text.Replace("_", "", StringComparison.Ordinal);
        var negative = s.StartsWith('-');
        if (negative || s.StartsWith('+'))
        {
            s = s[1..];
        }

        value = 0;
        var ok = s.Length > 0 && (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(s[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value));
        if (!ok)
        {
            value = 0;
            return false;
        }

        value = negative ? -value : value;
        return true;
    }

    [GeneratedRegex(@"^\s*([+-]?\d+)\s*(\S*)$")]
    private static partial Regex BytesPattern();
}
