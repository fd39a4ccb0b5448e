using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Image;

/// <summary>
/// Parses glance's JSON-patch bodies (gl: v2/images.py RequestDeserializer.update): media type
/// <c>application/openstack-images-v2.1-json-patch</c> (draft 10: <c>{"op","path","value"}</c>) or
/// <c>-v2.0-json-patch</c> (draft 4: <c>{"replace": "/name", "value"}</c>); only one-level paths.
/// </summary>
internal static partial class ImagePatch
{
    public const string MediaType21 = "application/openstack-images-v2.1-json-patch";
    public const string MediaType20 = "application/openstack-images-v2.0-json-patch";

    private const int MaxBody = 1 << 20;

    private static readonly string[] Operations = ["add", "remove", "replace"];

    /// <summary>The draft a media type selects, or null when glance would answer 415.</summary>
    public static int? DraftOf(string? contentType)
    {
        var mediaType = (contentType ?? "").Split(';')[0].Trim();
        return mediaType switch
        {
            MediaType21 => 10,
            MediaType20 => 4,
            _ => null,
        };
    }

    public static async Task<JsonNode?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBody)
        {
            throw new ApiException(413, "Request is too large.");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxBody)
        {
            throw new ApiException(413, "Request is too large.");
        }

        if (buffer.Length == 0)
        {
            throw ApiException.BadRequest("Body expected in request.");
        }

        try
        {
            return JsonNode.Parse(buffer.ToArray());
        }
        catch (JsonException)
        {
            throw ApiException.BadRequest($"Malformed JSON in request body: {Encoding.UTF8.GetString(buffer.ToArray()[..(int)Math.Min(buffer.Length, 200)])}");
        }
    }

    public static IReadOnlyList<ImagePatchOperation> Parse(JsonNode? body, int draft)
    {
        if (body is not JsonArray array)
        {
            throw ApiException.BadRequest("Request body must be a JSON array of operation objects.");
        }

        var operations = new List<ImagePatchOperation>();
        foreach (var item in array)
        {
            if (item is not JsonObject change)
            {
                throw ApiException.BadRequest("Operations must be JSON objects.");
            }

            string op;
            string pointer;
            if (draft == 10)
            {
                op = Text(change["op"]) ?? throw ApiException.BadRequest($"Unable to find `op` in JSON Schema change. It must be one of the following: {string.Join(", ", Operations)}.");
                if (!Operations.Contains(op))
                {
                    throw ApiException.BadRequest($"Invalid operation: `{op}`. It must be one of the following: {string.Join(", ", Operations)}.");
                }

                pointer = Text(change["path"]) ?? throw ApiException.BadRequest("Unable to find 'path' in JSON Schema change");
            }
            else
            {
                var present = Operations.Where(change.ContainsKey).ToList();
                if (present.Count != 1)
                {
                    throw ApiException.BadRequest("Operation objects must contain exactly one member named \"add\", \"remove\", or \"replace\".");
                }

                op = present[0];
                pointer = Text(change[op]) ?? throw ApiException.BadRequest("Unable to find 'path' in JSON Schema change");
            }

            var path = Decode(pointer);
            if (path.Count != 1)
            {
                throw ApiException.BadRequest($"Invalid JSON pointer for this resource: '/{string.Join('/', path)}'");
            }

            var root = path[0];
            if (ImageRules.ReadOnly.Contains(root))
            {
                throw ApiException.Forbidden($"Attribute '{root}' is read-only.");
            }

            if (ImageRules.IsReservedName(root))
            {
                throw ApiException.Forbidden($"Attribute '{root}' is reserved.");
            }

            JsonNode? value = null;
            if (op != "remove")
            {
                if (!change.ContainsKey("value"))
                {
                    throw ApiException.BadRequest($"Operation \"{op}\" requires a member named \"value\".");
                }

                value = change["value"]?.DeepClone();
            }

            operations.Add(new ImagePatchOperation(op, root, value));
        }

        return operations;
    }

    /// <summary>Decodes a JSON pointer the way glance does (RFC 6901 escapes ~0 and ~1; no empty segments).</summary>
    private static List<string> Decode(string pointer)
    {
        if (!pointer.StartsWith('/'))
        {
            throw ApiException.BadRequest($"Pointer `{pointer}` does not start with \"/\".");
        }

        if (AdjacentSlashes().IsMatch(pointer[1..]))
        {
            throw ApiException.BadRequest($"Pointer `{pointer}` contains adjacent \"/\".");
        }

        if (pointer.Length > 1 && pointer.EndsWith('/'))
        {
            throw ApiException.BadRequest($"Pointer `{pointer}` end with \"/\".");
        }

        if (BadTilde().IsMatch(pointer) || pointer.EndsWith('~'))
        {
            throw ApiException.BadRequest($"Pointer `{pointer}` contains \"~\" not part of a recognized escape sequence.");
        }

        return pointer.TrimStart('/').Split('/').Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal).Trim()).ToList();
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    [GeneratedRegex(@"/\s*?/")]
    private static partial Regex AdjacentSlashes();

    [GeneratedRegex("~[^01]")]
    private static partial Regex BadTilde();
}
