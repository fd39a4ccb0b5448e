using System.Text.Json.Nodes;

namespace Stratus.Cloud.Image;

/// <summary>
/// The JSON-schema documents glance serves under <c>/v2/schemas</c> (gl: v2/images.py get_schema,
/// get_collection_schema; v2/image_members.py): glanceclient builds its CLI from them, Tempest fetches them.
/// </summary>
internal static class ImageSchemaDocuments
{
    private const string UuidPattern = "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$";

    public static JsonObject Image() => new()
    {
        ["name"] = "image",
        ["properties"] = ImageProperties(),
        ["additionalProperties"] = new JsonObject { ["type"] = "string" },
        ["links"] = new JsonArray(
            Link("self", "{self}"),
            Link("enclosure", "{file}"),
            Link("describedby", "{schema}")),
    };

    public static JsonObject Images() => new()
    {
        ["name"] = "images",
        ["properties"] = new JsonObject
        {
            ["images"] = new JsonObject { ["type"] = "array", ["items"] = Image() },
            ["schema"] = new JsonObject { ["type"] = "string" },
            ["first"] = new JsonObject { ["type"] = "string" },
            ["next"] = new JsonObject { ["type"] = "string" },
        },
        ["links"] = new JsonArray(
            Link("first", "{first}"),
            Link("next", "{next}"),
            Link("describedby", "{schema}")),
    };

    public static JsonObject Member() => new()
    {
        ["name"] = "member",
        ["properties"] = MemberProperties(),
    };

    public static JsonObject Members() => new()
    {
        ["name"] = "members",
        ["properties"] = new JsonObject
        {
            ["members"] = new JsonObject { ["type"] = "array", ["items"] = Member() },
            ["schema"] = new JsonObject { ["type"] = "string" },
        },
        ["links"] = new JsonArray(Link("describedby", "{schema}")),
    };

    private static JsonObject ImageProperties() => new()
    {
        ["id"] = new JsonObject { ["type"] = "string", ["description"] = "An identifier for the image", ["pattern"] = UuidPattern },
        ["name"] = new JsonObject { ["type"] = Types("null", "string"), ["description"] = "Descriptive name for the image", ["maxLength"] = 255 },
        ["status"] = new JsonObject
        {
            ["type"] = "string", ["readOnly"] = true, ["description"] = "Status of the image",
            ["enum"] = Strings(ImageStatus.All),
        },
        ["visibility"] = new JsonObject { ["type"] = "string", ["description"] = "Scope of image accessibility", ["enum"] = Strings(ImageFormats.Visibilities) },
        ["protected"] = new JsonObject { ["type"] = "boolean", ["description"] = "If true, image will not be deletable." },
        ["os_hidden"] = new JsonObject { ["type"] = "boolean", ["description"] = "If true, image will not appear in default image list response." },
        ["checksum"] = new JsonObject { ["type"] = Types("null", "string"), ["readOnly"] = true, ["description"] = "md5 hash of image contents.", ["maxLength"] = 32 },
        ["os_hash_algo"] = new JsonObject { ["type"] = Types("null", "string"), ["readOnly"] = true, ["description"] = "Algorithm to calculate the os_hash_value", ["maxLength"] = 64 },
        ["os_hash_value"] = new JsonObject { ["type"] = Types("null", "string"), ["readOnly"] = true, ["description"] = "Hexdigest of the image contents using the algorithm specified by the os_hash_algo", ["maxLength"] = 128 },
        ["owner"] = new JsonObject { ["type"] = Types("null", "string"), ["description"] = "Owner of the image", ["maxLength"] = 255 },
        ["size"] = new JsonObject { ["type"] = Types("null", "integer"), ["readOnly"] = true, ["description"] = "Size of image file in bytes" },
        ["virtual_size"] = new JsonObject { ["type"] = Types("null", "integer"), ["readOnly"] = true, ["description"] = "Virtual size of image in bytes" },
        ["container_format"] = new JsonObject { ["type"] = Types("null", "string"), ["description"] = "Format of the container", ["enum"] = NullOr(ImageFormats.Container) },
        ["disk_format"] = new JsonObject { ["type"] = Types("null", "string"), ["description"] = "Format of the disk", ["enum"] = NullOr(ImageFormats.Disk) },
        ["created_at"] = new JsonObject { ["type"] = "string", ["readOnly"] = true, ["description"] = "Date and time of image registration" },
        ["updated_at"] = new JsonObject { ["type"] = "string", ["readOnly"] = true, ["description"] = "Date and time of the last image modification" },
        ["tags"] = new JsonObject
        {
            ["type"] = "array", ["description"] = "List of strings related to the image",
            ["items"] = new JsonObject { ["type"] = "string", ["maxLength"] = 255 },
        },
        ["direct_url"] = new JsonObject { ["type"] = "string", ["readOnly"] = true, ["description"] = "URL to access the image file kept in external store" },
        ["min_ram"] = new JsonObject { ["type"] = "integer", ["description"] = "Amount of ram (in MB) required to boot image." },
        ["min_disk"] = new JsonObject { ["type"] = "integer", ["description"] = "Amount of disk space (in GB) required to boot image." },
        ["self"] = new JsonObject { ["type"] = "string", ["readOnly"] = true, ["description"] = "An image self url" },
        ["file"] = new JsonObject { ["type"] = "string", ["readOnly"] = true, ["description"] = "An image file url" },
        ["schema"] = new JsonObject { ["type"] = "string", ["readOnly"] = true, ["description"] = "An image schema url" },
        ["kernel_id"] = new JsonObject
        {
            ["type"] = Types("null", "string"), ["pattern"] = UuidPattern, ["is_base"] = false,
            ["description"] = "ID of image stored in Glance that should be used as the kernel when booting an AMI-style image.",
        },
        ["ramdisk_id"] = new JsonObject
        {
            ["type"] = Types("null", "string"), ["pattern"] = UuidPattern, ["is_base"] = false,
            ["description"] = "ID of image stored in Glance that should be used as the ramdisk when booting an AMI-style image.",
        },
        ["instance_uuid"] = new JsonObject { ["type"] = "string", ["is_base"] = false, ["description"] = "Metadata which can be used to record which instance this image is associated with. (Informational only, does not create an instance snapshot.)" },
        ["architecture"] = new JsonObject { ["type"] = "string", ["is_base"] = false, ["description"] = "Operating system architecture as specified in https://docs.openstack.org/python-glanceclient/latest/cli/property-keys.html" },
        ["os_distro"] = new JsonObject { ["type"] = "string", ["is_base"] = false, ["description"] = "Common name of operating system distribution as specified in https://docs.openstack.org/python-glanceclient/latest/cli/property-keys.html" },
        ["os_version"] = new JsonObject { ["type"] = "string", ["is_base"] = false, ["description"] = "Operating system version as specified by the distributor." },
        ["description"] = new JsonObject { ["type"] = "string", ["is_base"] = false, ["description"] = "A human-readable string describing this image." },
    };

    private static JsonObject MemberProperties() => new()
    {
        ["member_id"] = new JsonObject { ["type"] = "string", ["description"] = "An identifier for the image member (tenantId)" },
        ["image_id"] = new JsonObject { ["type"] = "string", ["description"] = "An identifier for the image", ["pattern"] = UuidPattern },
        ["created_at"] = new JsonObject { ["type"] = "string", ["description"] = "Date and time of image member creation" },
        ["updated_at"] = new JsonObject { ["type"] = "string", ["description"] = "Date and time of last modification of image member" },
        ["status"] = new JsonObject { ["type"] = "string", ["description"] = "The status of this image member", ["enum"] = Strings(["pending", "accepted", "rejected"]) },
        ["schema"] = new JsonObject { ["type"] = "string", ["readOnly"] = true },
    };

    private static JsonObject Link(string rel, string href) => new() { ["rel"] = rel, ["href"] = href };

    private static JsonArray Types(params string[] types) => Strings(types);

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());

    private static JsonArray NullOr(IEnumerable<string> values) => new([null, .. values.Select(v => (JsonNode?)v)]);
}
