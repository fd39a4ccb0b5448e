using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Identity.Api;

/// <summary>
/// Reading keystone request bodies field by field. A missing or mistyped field is a 400 in keystone's words
/// (ks: keystone/exception.py ValidationError), never a 500.
/// </summary>
internal static class IdentityInput
{
    private const string Suffix = " The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.";

    public static ApiException Missing(string attribute, string target) =>
        ApiException.BadRequest($"Expecting to find {attribute} in {target}." + Suffix, "ValidationError");

    public static ApiException Invalid(string field, string reason) =>
        ApiException.BadRequest($"Invalid input for field '{field}': {reason}." + Suffix, "ValidationError");

    /// <summary>The object under <paramref name="key"/>; 400 when it is missing or not an object.</summary>
    public static JsonObject Object(JsonObject parent, string key, string target) =>
        OptionalObject(parent, key) ?? throw Missing(key, target);

    public static JsonObject? OptionalObject(JsonObject parent, string key) => parent[key] switch
    {
        null => null,
        JsonObject o => o,
        var other => throw Invalid(key, $"{other.ToJsonString()} is not of type 'object'"),
    };

    /// <summary>A required non-empty string of at most <paramref name="max"/> characters.</summary>
    public static string String(JsonObject parent, string key, string target, int max = 255) =>
        OptionalString(parent, key, max) ?? throw Missing(key, target);

    public static string? OptionalString(JsonObject parent, string key, int max = 255, bool allowEmpty = false)
    {
        var node = parent[key];
        if (node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            throw Invalid(key, $"{node.ToJsonString()} is not of type 'string'");
        }

        var value = node.GetValue<string>();
        if (value.Length == 0 && !allowEmpty)
        {
            throw Invalid(key, "'' is too short");
        }

        return value.Length > max ? throw Invalid(key, $"the value is longer than {max} characters") : value;
    }

    public static bool? OptionalBool(JsonObject parent, string key) => parent[key] switch
    {
        null => null,
        var node when node.GetValueKind() is JsonValueKind.True or JsonValueKind.False => node.GetValue<bool>(),
        var node => throw Invalid(key, $"{node.ToJsonString()} is not of type 'boolean'"),
    };

    /// <summary>Keystone project tags: at most 80 strings of 1-255 characters, without '/' or ','.</summary>
    public static IReadOnlyList<string>? OptionalTags(JsonObject parent, string key = "tags")
    {
        if (parent[key] is null)
        {
            return null;
        }

        if (parent[key] is not JsonArray array || array.Count > 80)
        {
            throw Invalid(key, "tags must be a list of at most 80 strings");
        }

        var tags = new List<string>();
        foreach (var item in array)
        {
            if (item is null || item.GetValueKind() != JsonValueKind.String || item.GetValue<string>() is not { Length: >= 1 and <= 255 } tag || tag.Contains('/') || tag.Contains(','))
            {
                throw Invalid(key, "each tag must be a string of 1 to 255 characters without '/' or ','");
            }

            if (!tags.Contains(tag))
            {
                tags.Add(tag);
            }
        }

        return tags;
    }

    /// <summary>The keys keystone stores as free-form attributes: everything but the modelled ones.</summary>
    public static JsonObject Extra(JsonObject source, JsonObject? existing, IReadOnlySet<string> modelled)
    {
        var extra = existing ?? [];
        foreach (var (key, value) in source)
        {
            if (!modelled.Contains(key))
            {
                extra[key] = value?.DeepClone();
            }
        }

        return extra;
    }

    /// <summary>A boolean query filter as keystone reads it: 0/false/no/off (any case) are false, anything else true.</summary>
    public static bool? QueryBool(HttpRequest request, string key) =>
        request.Query.TryGetValue(key, out var values) && values.FirstOrDefault() is { } text
            ? text.Trim().ToLowerInvariant() is not ("0" or "false" or "f" or "no" or "n" or "off")
            : null;

    public static string? Query(HttpRequest request, string key) =>
        request.Query.TryGetValue(key, out var values) ? values.FirstOrDefault() : null;
}
