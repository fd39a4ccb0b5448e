using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Network.Api;

/// <summary>
/// Reading neutron request bodies (neutron api/v2/base.py prepare_request_body and neutron-lib validators):
/// the resource wrapper (single or bulk), unknown attributes, and typed attributes with neutron's messages.
/// </summary>
internal static partial class NeutronInput
{
    /// <summary>Unwraps <c>{"network": {...}}</c> or the bulk <c>{"networks": [...]}</c>.</summary>
    public static (IReadOnlyList<JsonObject> Items, bool Bulk) Resources(JsonObject body, string singular, string plural)
    {
        if (body[plural] is JsonArray array)
        {
            if (array.Count == 0)
            {
                throw NeutronErrors.BadRequest("HTTPBadRequest", "Resources required");
            }

            return (array.Select(item => item as JsonObject ?? throw NeutronErrors.BadRequest("HTTPBadRequest", $"Bulk operation requires a list of {singular} objects")).ToList(), true);
        }

        return ([Resource(body, singular)], false);
    }

    public static JsonObject Resource(JsonObject body, string singular) =>
        body[singular] as JsonObject ?? throw NeutronErrors.BadRequest("HTTPBadRequest", $"Unable to find '{singular}' in request body");

    public static void AllowOnly(JsonObject item, IReadOnlySet<string> allowed)
    {
        var unknown = item.Select(p => p.Key).Where(k => !allowed.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw NeutronErrors.BadRequest("HTTPBadRequest", $"Unrecognized attribute(s) '{string.Join(", ", unknown)}'");
        }
    }

    public static void Require(JsonObject item, string key)
    {
        if (!item.ContainsKey(key))
        {
            throw NeutronErrors.BadRequest("HTTPBadRequest", $"Failed to parse request. Required attribute '{key}' not specified");
        }
    }

    public static string? String(JsonObject item, string key, int maxLength = 255, bool nullable = false)
    {
        if (!item.TryGetPropertyValue(key, out var node))
        {
            return null;
        }

        if (node is null)
        {
            return nullable ? null : throw NeutronErrors.InvalidAttribute(key, "'None' is not a valid string");
        }

        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            throw NeutronErrors.InvalidAttribute(key, $"'{node.ToJsonString()}' is not a valid string");
        }

        var text = value.GetValue<string>();
        return text.Length <= maxLength ? text : throw NeutronErrors.InvalidAttribute(key, $"'{text}' exceeds maximum length of {maxLength}");
    }

    /// <summary>neutron-lib convert_to_boolean: JSON booleans, "true"/"false" in any case, 0 and 1.</summary>
    public static bool? Bool(JsonObject item, string key)
    {
        if (!item.TryGetPropertyValue(key, out var node))
        {
            return null;
        }

        if (node is JsonValue value)
        {
            switch (value.GetValueKind())
            {
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                case JsonValueKind.String when bool.TryParse(value.GetValue<string>(), out var parsed):
                    return parsed;
                case JsonValueKind.String when value.GetValue<string>() is "0" or "1":
                    return value.GetValue<string>() == "1";
                case JsonValueKind.Number when value.TryGetValue<int>(out var number) && number is 0 or 1:
                    return number == 1;
            }
        }

        throw NeutronErrors.InvalidAttribute(key, $"'{node?.ToJsonString() ?? "None"}' cannot be converted to boolean");
    }

    /// <summary>An integer (JSON number or numeric string) within a range; null when absent or JSON null and <paramref name="nullable"/>.</summary>
    public static long? Integer(JsonObject item, string key, long min, long max, bool nullable = false)
    {
        if (!item.TryGetPropertyValue(key, out var node))
        {
            return null;
        }

        if (node is null && nullable)
        {
            return null;
        }

        if (!TryNumber(node, out var number))
        {
            throw NeutronErrors.InvalidAttribute(key, $"'{node?.ToJsonString() ?? "None"}' is not an integer");
        }

        return number >= min && number <= max ? number : throw NeutronErrors.InvalidAttribute(key, $"'{number}' is not in range {min} through {max}");
    }

    private static bool TryNumber(JsonNode? node, out long number)
    {
        number = 0;
        return node is JsonValue value && value.GetValueKind() switch
        {
            JsonValueKind.Number => value.TryGetValue(out number),
            JsonValueKind.String => long.TryParse(value.GetValue<string>(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number),
            _ => false,
        };
    }

    public static string? Uuid(JsonObject item, string key, bool nullable = false)
    {
        var text = String(item, key, int.MaxValue, nullable);
        return text is null || IsUuid(text) ? text : throw NeutronErrors.InvalidAttribute(key, $"'{text}' is not a valid UUID");
    }

    public static IReadOnlyList<string>? StringList(JsonObject item, string key)
    {
        if (!item.TryGetPropertyValue(key, out var node))
        {
            return null;
        }

        if (node is not JsonArray array)
        {
            throw NeutronErrors.InvalidAttribute(key, $"'{node?.ToJsonString() ?? "None"}' is not a list");
        }

        return array.Select(e => e is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw NeutronErrors.InvalidAttribute(key, $"'{e?.ToJsonString() ?? "None"}' is not a valid string")).ToList();
    }

    public static IReadOnlyList<JsonObject>? ObjectList(JsonObject item, string key)
    {
        if (!item.TryGetPropertyValue(key, out var node))
        {
            return null;
        }

        if (node is not JsonArray array)
        {
            throw NeutronErrors.InvalidAttribute(key, $"'{node?.ToJsonString() ?? "None"}' is not a list");
        }

        return array.Select(e => e as JsonObject ?? throw NeutronErrors.InvalidAttribute(key, $"'{e?.ToJsonString() ?? "None"}' is not a dictionary")).ToList();
    }

    /// <summary>
    /// The project a new resource belongs to: the caller's, or another one named by <c>project_id</c>/<c>tenant_id</c>
    /// (admin only; neutron's message otherwise).
    /// </summary>
    public static string ProjectFor(JsonObject item, RequestContext caller)
    {
        var project = String(item, "project_id");
        var tenant = String(item, "tenant_id");
        if (project is not null && tenant is not null && project != tenant)
        {
            throw NeutronErrors.BadRequest("HTTPBadRequest", "Both tenant_id and project_id passed as filters.");
        }

        var requested = project ?? tenant;
        if (requested is null || requested == caller.ProjectId)
        {
            return caller.ProjectId ?? throw NeutronErrors.BadRequest("HTTPBadRequest", "A project-scoped token is required to create resources.");
        }

        return caller.IsAdmin
            ? requested
            : throw NeutronErrors.BadRequest("HTTPBadRequest", "Specifying 'project_id' or 'tenant_id' other than the authenticated project in request requires admin privileges");
    }

    public static bool IsUuid(string? text) => text is not null && UuidPattern().IsMatch(text);

    /// <summary>A MAC address in canonical lower case, or null when the text is not a unicast MAC.</summary>
    public static string? NormalizeMac(string text)
    {
        if (!MacPattern().IsMatch(text))
        {
            return null;
        }

        var mac = text.Replace('-', ':').ToLowerInvariant();
        var first = Convert.ToByte(mac[..2], 16);
        return (first & 1) == 0 && mac != "00:00:00:00:00:00" ? mac : null;
    }

    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex UuidPattern();

    [GeneratedRegex("^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$")]
    private static partial Regex MacPattern();
}
