using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Compute.Api;

/// <summary>
/// Nova's request validation (nova/api/validation: JSON-Schema plus its format checkers), written out by hand for the
/// bodies the compute API accepts. Messages follow nova's: <c>Invalid input for field/attribute {field}. Value: {v}.
/// {jsonschema message}</c>, or the bare jsonschema message at the top level. Every failure is a 400.
/// </summary>
internal static partial class NovaSchema
{
    public const string NameReason = "printable characters. Can not start or end with whitespace.";

    private static readonly string[] BooleanStrings =
        ["True", "TRUE", "true", "1", "ON", "On", "on", "YES", "Yes", "yes", "False", "FALSE", "false", "0", "OFF", "Off", "off", "NO", "No", "no"];

    /// <summary>A failure on a field: <paramref name="field"/> is the last element of the path (nova pops it).</summary>
    public static ApiException Invalid(string field, JsonNode? value, string message) =>
        ApiException.BadRequest($"Invalid input for field/attribute {field}. Value: {PyRepr.Str(value)}. {message}");

    /// <summary>A failure on a query parameter.</summary>
    public static ApiException InvalidQuery(string parameter, string value, string message) =>
        ApiException.BadRequest($"Invalid input for query parameters {parameter}. Value: {value}. {message}");

    public static ApiException InvalidName(string reason = NameReason) =>
        ApiException.BadRequest($"An invalid 'name' value was provided. The name must be: {reason}");

    /// <summary>The top-level object: requires <paramref name="key"/> and nothing else beyond <paramref name="alsoAllowed"/>.</summary>
    public static JsonObject Root(JsonObject body, string key, params string[] alsoAllowed)
    {
        if (!body.ContainsKey(key))
        {
            throw ApiException.BadRequest($"{PyRepr.Quote(key)} is a required property");
        }

        var extras = body.Select(p => p.Key).Where(k => k != key && !alsoAllowed.Contains(k)).ToList();
        if (extras.Count > 0)
        {
            throw ApiException.BadRequest(AdditionalMessage(extras));
        }

        return body[key] as JsonObject ?? throw Invalid(key, body[key], $"{PyRepr.Repr(body[key])} is not of type 'object'");
    }

    /// <summary>Checks required keys and rejects unknown ones in an object found at <paramref name="field"/>.</summary>
    public static void Keys(JsonObject obj, string field, IReadOnlyCollection<string> allowed, params string[] required)
    {
        foreach (var key in required)
        {
            if (!obj.ContainsKey(key))
            {
                throw Invalid(field, obj, $"{PyRepr.Quote(key)} is a required property");
            }
        }

        var extras = obj.Select(p => p.Key).Where(k => !allowed.Contains(k)).ToList();
        if (extras.Count > 0)
        {
            throw Invalid(field, obj, AdditionalMessage(extras));
        }
    }

    public static string AdditionalMessage(IReadOnlyList<string> extras) =>
        $"Additional properties are not allowed ({string.Join(", ", extras.Select(PyRepr.Quote))} {(extras.Count == 1 ? "was" : "were")} unexpected)";

    public static ApiException TypeError(string field, JsonNode? value, params string[] types) =>
        Invalid(field, value, $"{PyRepr.Repr(value)} is not of type {string.Join(", ", types.Select(PyRepr.Quote))}");

    public static bool IsString(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    public static bool IsNull(JsonNode? node) => node is null;

    /// <summary>A string of bounded length (parameter_types: <c>{'type': 'string', 'minLength', 'maxLength'}</c>).</summary>
    public static string String(JsonNode? node, string field, int minLength = 0, int maxLength = int.MaxValue)
    {
        if (!IsString(node))
        {
            throw TypeError(field, node, "string");
        }

        var value = node!.GetValue<string>();
        CheckLength(value, node, field, minLength, maxLength);
        return value;
    }

    public static void CheckLength(string value, JsonNode? node, string field, int minLength, int maxLength)
    {
        var length = CodePoints(value);
        if (length < minLength)
        {
            throw Invalid(field, node, $"{PyRepr.Quote(value)} is too short");
        }

        if (length > maxLength)
        {
            throw Invalid(field, node, $"{PyRepr.Quote(value)} is too long");
        }
    }

    /// <summary>parameter_types.name: 1-255 printable characters, no leading or trailing whitespace.</summary>
    public static string Name(JsonNode? node, string field)
    {
        var value = String(node, field, 1, 255);
        if (!IsValidName(value))
        {
            throw InvalidName();
        }

        return value;
    }

    public static bool IsValidName(string value)
    {
        if (value.Length == 0)
        {
            return true;
        }

        foreach (var c in value)
        {
            if (!IsPrintable(c))
            {
                return false;
            }
        }

        return !char.IsWhiteSpace(value[0]) && !char.IsWhiteSpace(value[^1]);
    }

    /// <summary>nova's _is_printable: not a control/format/unassigned character, and no separator other than a space.</summary>
    public static bool IsPrintable(char c) => char.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
        _ => true,
    };

    /// <summary>parameter_types.description: null or up to 255 printable characters.</summary>
    public static string? Description(JsonNode? node, string field, int maxLength = 255)
    {
        if (node is null)
        {
            return null;
        }

        var value = String(node, field, 0, maxLength);
        if (value.Any(c => !IsPrintable(c)))
        {
            throw Invalid(field, node, $"{PyRepr.Quote(value)} does not match '^[printable]*$'");
        }

        return value;
    }

    /// <summary>parameter_types.boolean: true/false or one of oslo's boolean strings.</summary>
    public static bool Boolean(JsonNode? node, string field)
    {
        if (node is JsonValue v)
        {
            switch (v.GetValueKind())
            {
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                case JsonValueKind.String when BooleanStrings.Contains(v.GetValue<string>()):
                    return BoolFromString(v.GetValue<string>());
                case JsonValueKind.String:
                    throw Invalid(field, node, $"{PyRepr.Repr(node)} is not one of [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no']");
            }
        }

        throw TypeError(field, node, "boolean", "string");
    }

    /// <summary>oslo strutils.bool_from_string (not strict): true for 1/t/true/on/y/yes, false otherwise.</summary>
    public static bool BoolFromString(string? value) =>
        value is not null && value.Trim().ToLowerInvariant() is "1" or "t" or "true" or "on" or "y" or "yes";

    /// <summary>oslo strutils.bool_from_string(strict=True): null when the value is not a boolean word.</summary>
    public static bool? StrictBool(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "1" or "t" or "true" or "on" or "y" or "yes" => true,
        "0" or "f" or "false" or "off" or "n" or "no" => false,
        _ => null,
    };

    /// <summary>An integer given as a JSON number or a digit string (parameter_types.positive_integer and friends).</summary>
    public static long Integer(JsonNode? node, string field, long minimum, long maximum = long.MaxValue, bool allowNegative = false)
    {
        long value;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            if (!v.TryGetValue(out value))
            {
                if (v.TryGetValue(out double d) && d == Math.Floor(d) && Math.Abs(d) < 9e18)
                {
                    value = (long)d;
                }
                else
                {
                    throw TypeError(field, node, "integer", "string");
                }
            }
        }
        else if (IsString(node))
        {
            var text = node!.GetValue<string>();
            if (text.Length == 0)
            {
                throw Invalid(field, node, $"{PyRepr.Quote(text)} is too short");
            }

            var pattern = allowNegative ? "^-?[0-9]+$" : "^[0-9]*$";
            if (!Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant) || !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
            {
                throw Invalid(field, node, $"{PyRepr.Quote(text)} does not match {PyRepr.Quote(pattern)}");
            }
        }
        else
        {
            throw TypeError(field, node, "integer", "string");
        }

        if (value < minimum)
        {
            throw Invalid(field, node, $"{PyRepr.Repr(node)} is less than the minimum of {minimum.ToString(CultureInfo.InvariantCulture)}");
        }

        if (value > maximum)
        {
            throw Invalid(field, node, $"{PyRepr.Repr(node)} is greater than the maximum of {maximum.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    }

    public static string Enum(JsonNode? node, string field, params string[] values)
    {
        if (!IsString(node))
        {
            throw TypeError(field, node, "string");
        }

        var value = node!.GetValue<string>();
        return values.Contains(value)
            ? value
            : throw Invalid(field, node, $"{PyRepr.Quote(value)} is not one of [{string.Join(", ", values.Select(PyRepr.Quote))}]");
    }

    /// <summary>format 'uuid' (nova accepts any string uuidutils.is_uuid_like takes, with or without hyphens).</summary>
    public static string Uuid(JsonNode? node, string field)
    {
        if (!IsString(node))
        {
            throw TypeError(field, node, "string");
        }

        var value = node!.GetValue<string>();
        return IsUuidLike(value) ? value : throw Invalid(field, node, $"{PyRepr.Quote(value)} is not a 'uuid'");
    }

    public static bool IsUuidLike(string? value) =>
        value is not null && (value.Length == 36 || value.Length == 32) && Guid.TryParse(value, out _);

    public static string Ipv4(JsonNode? node, string field)
    {
        if (!IsString(node))
        {
            throw TypeError(field, node, "string");
        }

        var value = node!.GetValue<string>();
        return IsIpv4(value) ? value : throw Invalid(field, node, $"{PyRepr.Quote(value)} is not a 'ipv4'");
    }

    public static string Ipv6(JsonNode? node, string field)
    {
        if (!IsString(node))
        {
            throw TypeError(field, node, "string");
        }

        var value = node!.GetValue<string>();
        return IPAddress.TryParse(value, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6 && value.Contains(':', StringComparison.Ordinal)
            ? address.ToString()
            : throw Invalid(field, node, $"{PyRepr.Quote(value)} is not a 'ipv6'");
    }

    public static bool IsIpv4(string value) =>
        Ipv4Pattern().IsMatch(value) && value.Split('.').All(p => int.Parse(p, CultureInfo.InvariantCulture) <= 255);

    /// <summary>parameter_types.ip_address: an IPv4 or IPv6 address.</summary>
    public static string IpAddress(JsonNode? node, string field)
    {
        if (!IsString(node))
        {
            throw TypeError(field, node, "string");
        }

        var value = node!.GetValue<string>();
        if (IsIpv4(value) || (IPAddress.TryParse(value, out var a) && a.AddressFamily == AddressFamily.InterNetworkV6))
        {
            return value;
        }

        throw Invalid(field, node, $"{PyRepr.Quote(value)} is not valid under any of the given schemas");
    }

    /// <summary>parameter_types.metadata: keys matching ^[a-zA-Z0-9-_:. ]{1,255}$ with string values up to 255.</summary>
    public static Dictionary<string, string> Metadata(JsonNode? node, string field, bool allowNumbers = false)
    {
        if (node is not JsonObject obj)
        {
            throw TypeError(field, node, "object");
        }

        var extras = obj.Select(p => p.Key).Where(k => !MetadataKey().IsMatch(k)).ToList();
        if (extras.Count > 0)
        {
            throw Invalid(field, node, AdditionalMessage(extras));
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (allowNumbers && value is JsonValue n && n.GetValueKind() == JsonValueKind.Number)
            {
                var text = n.ToJsonString();
                if (text.Length > 255)
                {
                    throw ApiException.BadRequest("Invalid input received: extra_specs value has more than 255 characters.");
                }

                result[key] = text;
                continue;
            }

            if (!IsString(value))
            {
                throw allowNumbers ? TypeError(key, value, "string", "number") : TypeError(key, value, "string");
            }

            var s = value!.GetValue<string>();
            CheckLength(s, value, key, 0, 255);
            result[key] = s;
        }

        return result;
    }

    /// <summary>format 'base64' (nova _validate_base64_format: base64.decodebytes must accept it).</summary>
    public static bool IsBase64(string value)
    {
        var compact = value.Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);
        if (compact.Length % 4 != 0)
        {
            return false;
        }

        var buffer = new byte[compact.Length];
        return Convert.TryFromBase64String(compact, buffer, out _);
    }

    /// <summary>format 'regex': the value compiles as a regular expression.</summary>
    public static Regex? TryRegex(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>format 'date-time' (ISO 8601, as oslo timeutils.parse_isotime reads it).</summary>
    public static DateTime? ParseIsoTime(string value)
    {
        var styles = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal;
        string[] formats =
        [
            "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
            "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd",
        ];
        return DateTime.TryParseExact(value.Trim(), formats, CultureInfo.InvariantCulture, styles, out var parsed) ? DateTime.SpecifyKind(parsed, DateTimeKind.Utc) : null;
    }

    [GeneratedRegex(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4Pattern();

    [GeneratedRegex(@"^[a-zA-Z0-9\-_:. ]{1,255}$", RegexOptions.CultureInvariant)]
    private static partial Regex MetadataKey();

    /// <summary>Python counts code points, not UTF-16 units.</summary>
    private static int CodePoints(string value) => value.Length - value.Count(char.IsLowSurrogate);
}
