using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Image;

/// <summary>
/// Glance's checks on image attributes (gl: v2/images.py RequestDeserializer and get_base_properties, domain
/// ImageFactory): read-only and reserved names are 403, values that break the image schema are 400.
/// </summary>
internal static partial class ImageRules
{
    /// <summary>Never accepted in a body (RequestDeserializer._disallowed_properties).</summary>
    public static readonly IReadOnlySet<string> Disallowed = new HashSet<string>(StringComparer.Ordinal) { "direct_url", "self", "file", "schema", "stores" };

    /// <summary>Computed by glance (ImageFactory._readonly_properties plus id on update).</summary>
    public static readonly IReadOnlySet<string> ReadOnly = new HashSet<string>(StringComparer.Ordinal)
    {
        "created_at", "updated_at", "status", "checksum", "os_hash_algo", "os_hash_value", "size", "virtual_size",
        "direct_url", "self", "file", "schema", "id", "stores",
    };

    /// <summary>Reserved names (RequestDeserializer._reserved_properties); the os_glance_ namespace too.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal) { "location", "locations", "deleted", "deleted_at" };

    /// <summary>The base attributes a client may set (the rest of the schema's properties are read-only).</summary>
    public static readonly IReadOnlySet<string> Writable = new HashSet<string>(StringComparer.Ordinal)
    {
        "name", "visibility", "protected", "os_hidden", "owner", "container_format", "disk_format", "min_ram", "min_disk", "tags",
    };

    /// <summary>Properties glance's schema-image.json types as a UUID or null.</summary>
    public static readonly IReadOnlySet<string> UuidProperties = new HashSet<string>(StringComparer.Ordinal) { "kernel_id", "ramdisk_id" };

    public const int MaxTags = 128;

    public static bool IsReservedName(string key) => Reserved.Contains(key) || key.StartsWith("os_glance", StringComparison.Ordinal);

    public static bool IsUuid(string? text) => text is not null && UuidPattern().IsMatch(text);

    /// <summary>Parses an image id from a URL: only UUIDs can name an image (anything else is a 404 at the caller).</summary>
    public static string? NormalizeId(string text) => IsUuid(text) ? Guid.Parse(text).ToString("D") : null;

    /// <summary>Applies a checked base attribute value to <paramref name="image"/>.</summary>
    public static ImageRecord SetBase(ImageRecord image, string key, JsonNode? value) => key switch
    {
        "name" => image with { Name = NullableString(key, value, 255) },
        "visibility" => image with { Visibility = Enum(key, value, ImageFormats.Visibilities, nullable: false)! },
        "protected" => image with { Protected = Boolean(key, value) },
        "os_hidden" => image with { OsHidden = Boolean(key, value) },
        "owner" => image with { Owner = NullableString(key, value, 255) },
        "container_format" => image with { ContainerFormat = Enum(key, value, ImageFormats.Container, nullable: true) },
        "disk_format" => image with { DiskFormat = Enum(key, value, ImageFormats.Disk, nullable: true) },
        "min_ram" => image with { MinRam = Integer(key, value) },
        "min_disk" => image with { MinDisk = Integer(key, value) },
        "tags" => image with { Tags = Tags(value) },
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "not a writable base attribute"),
    };

    /// <summary>Checks an extra property (a string, or a UUID or null for kernel_id and ramdisk_id).</summary>
    public static string? ExtraValue(string key, JsonNode? value)
    {
        if (key.Length > 255)
        {
            throw ApiException.BadRequest("Custom property should not be greater than 255 characters.");
        }

        if (UuidProperties.Contains(key))
        {
            if (value is null)
            {
                return null;
            }

            var text = String(key, value);
            return IsUuid(text) ? text : throw Invalid($"'{text}' does not match '{UuidPattern()}' (property {key})");
        }

        return String(key, value);
    }

    public static ApiException Invalid(string reason) => ApiException.BadRequest($"Provided object does not match schema 'image': {reason}");

    private static string String(string key, JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw Invalid($"{Describe(value)} is not of type 'string' (property {key})");

    private static string? NullableString(string key, JsonNode? value, int maxLength)
    {
        if (value is null)
        {
            return null;
        }

        var text = String(key, value);
        return text.Length <= maxLength ? text : throw Invalid($"'{text}' is too long (property {key}, at most {maxLength} characters)");
    }

    private static string? Enum(string key, JsonNode? value, IReadOnlyList<string> allowed, bool nullable)
    {
        if (value is null && nullable)
        {
            return null;
        }

        var text = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        return text is not null && allowed.Contains(text)
            ? text
            : throw Invalid($"{Describe(value)} is not one of [{string.Join(", ", (nullable ? new[] { "None" } : []).Concat(allowed.Select(a => $"'{a}'")))}] (property {key})");
    }

    private static bool Boolean(string key, JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : throw Invalid($"{Describe(value)} is not of type 'boolean' (property {key})");

    private static long Integer(string key, JsonNode? value)
    {
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var number))
        {
            return number >= 0 ? number : throw ApiException.BadRequest($"Cannot set {key} to a negative value.");
        }

        throw Invalid($"{Describe(value)} is not of type 'integer' (property {key})");
    }

    private static List<string> Tags(JsonNode? value)
    {
        if (value is not JsonArray array)
        {
            throw Invalid($"{Describe(value)} is not of type 'array' (property tags)");
        }

        var tags = new List<string>();
        foreach (var item in array)
        {
            var tag = String("tags", item);
            if (tag.Length > 255)
            {
                throw Invalid($"'{tag}' is too long (property tags)");
            }

            if (!tags.Contains(tag))
            {
                tags.Add(tag);
            }
        }

        return tags.Count <= MaxTags ? tags : throw new ApiException(413, $"Maximum tags per image is {MaxTags}; {tags.Count} requested.");
    }

    private static string Describe(JsonNode? value) => value is null ? "None" : value.ToJsonString();

    [GeneratedRegex("^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$")]
    private static partial Regex UuidPattern();
}
