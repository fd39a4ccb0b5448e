using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Cloud.Identity.Storage;

/// <summary>The JSON documents identity keeps in TEXT columns: tag lists and keystone's free-form "extra" attributes.</summary>
internal static class IdentityJsonText
{
    public const string EmptyObject = "{}";

    public static string Tags(IEnumerable<string> tags) => new JsonArray([.. tags.Select(t => (JsonNode?)JsonValue.Create(t))]).ToJsonString();

    public static IReadOnlyList<string> ParseTags(string text) =>
        JsonNode.Parse(text) is JsonArray array ? [.. array.Select(n => n?.GetValue<string>() ?? "")] : [];

    public static JsonObject ParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
