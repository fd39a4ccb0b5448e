using System.Text.Json.Nodes;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Image;

/// <summary>
/// The image object glance returns, unwrapped (gl: v2/images.py ResponseSerializer._format_image): base attributes,
/// links relative to the endpoint, and the extra properties flat at top level.
/// </summary>
internal static class ImageView
{
    public const string ImageSchemaPath = "/v2/schemas/image";
    public const string ImagesSchemaPath = "/v2/schemas/images";
    public const string MemberSchemaPath = "/v2/schemas/member";
    public const string MembersSchemaPath = "/v2/schemas/members";

    public static JsonObject Render(ImageRecord image)
    {
        var self = $"/v2/images/{image.Id}";
        var body = new JsonObject
        {
            ["id"] = image.Id,
            ["name"] = image.Name,
            ["status"] = image.Status,
            ["visibility"] = image.Visibility,
            ["protected"] = image.Protected,
            ["os_hidden"] = image.OsHidden,
            ["owner"] = image.Owner,
            ["disk_format"] = image.DiskFormat,
            ["container_format"] = image.ContainerFormat,
            ["size"] = image.Size,
            ["virtual_size"] = image.VirtualSize,
            ["checksum"] = image.Checksum,
            ["os_hash_algo"] = image.OsHashAlgo,
            ["os_hash_value"] = image.OsHashValue,
            ["min_ram"] = image.MinRam,
            ["min_disk"] = image.MinDisk,
            ["tags"] = new JsonArray(image.Tags.Select(t => (JsonNode?)t).ToArray()),
            ["created_at"] = OpenStackJson.Iso(image.CreatedAt),
            ["updated_at"] = OpenStackJson.Iso(image.UpdatedAt),
            ["self"] = self,
            ["file"] = self + "/file",
            ["schema"] = ImageSchemaPath,
        };
        foreach (var (key, value) in image.Properties)
        {
            if (!body.ContainsKey(key))
            {
                body[key] = value;
            }
        }

        return body;
    }

    public static JsonObject Render(ImageMember member) => new()
    {
        ["created_at"] = OpenStackJson.Iso(member.CreatedAt),
        ["updated_at"] = OpenStackJson.Iso(member.UpdatedAt),
        ["image_id"] = member.ImageId,
        ["member_id"] = member.MemberId,
        ["schema"] = MemberSchemaPath,
        ["status"] = member.Status,
    };
}
