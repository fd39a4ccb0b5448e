using System.Text.Json.Nodes;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Image;

/// <summary>
/// Glance v2 routes under <c>/image</c> (contract §5; gl: v2/router.py). Thin handlers: they read the request,
/// call <see cref="ImageService"/> and shape the response; errors leave as glance's plain-text faults.
/// </summary>
internal static class ImageEndpoints
{
    private static readonly string[] Versions = ["v2.7", "v2.6", "v2.5", "v2.4", "v2.3", "v2.2", "v2.1", "v2.0"];

    public static void Map(IEndpointRouteBuilder app)
    {
        var root = app.MapGroup(ServiceUrls.ImagePrefix);
        // Version documents answer without a token (contract §3): 300 at the root, 200 at /versions.
        root.MapGet("/", (ServiceUrls urls) => OpenStackJson.Result(VersionList(urls), 300));
        root.MapGet("/versions", (ServiceUrls urls) => OpenStackJson.Result(VersionList(urls)));

        var v2 = root.MapGroup("/v2").RequireToken();
        v2.MapGet("/images", ListAsync);
        v2.MapPost("/images", CreateAsync);
        v2.MapGet("/images/{id}", async (HttpContext http, string id, ImageService images) =>
            OpenStackJson.Result(ImageView.Render(await images.GetVisibleAsync(http.Caller(), id, http.RequestAborted))));
        v2.MapMethods("/images/{id}", ["PATCH"], PatchAsync);
        v2.MapDelete("/images/{id}", async (HttpContext http, string id, ImageService images) =>
        {
            await images.DeleteAsync(http.Caller(), id, http.RequestAborted);
            return Results.NoContent();
        });
        v2.MapPut("/images/{id}/file", async (HttpContext http, string id, ImageService images) =>
        {
            await images.UploadAsync(http.Caller(), id, http.Request.ContentType, http.Request.Body, http.RequestAborted);
            return Results.NoContent();
        });
        v2.MapGet("/images/{id}/file", DownloadAsync);
        v2.MapPut("/images/{id}/tags/{tag}", async (HttpContext http, string id, string tag, ImageService images) =>
        {
            await images.AddTagAsync(http.Caller(), id, tag, http.RequestAborted);
            return Results.NoContent();
        });
        v2.MapDelete("/images/{id}/tags/{tag}", async (HttpContext http, string id, string tag, ImageService images) =>
        {
            await images.RemoveTagAsync(http.Caller(), id, tag, http.RequestAborted);
            return Results.NoContent();
        });
        v2.MapPost("/images/{id}/actions/deactivate", async (HttpContext http, string id, ImageService images) =>
        {
            await images.SetActivationAsync(http.Caller(), id, activate: false, http.RequestAborted);
            return Results.NoContent();
        });
        v2.MapPost("/images/{id}/actions/reactivate", async (HttpContext http, string id, ImageService images) =>
        {
            await images.SetActivationAsync(http.Caller(), id, activate: true, http.RequestAborted);
            return Results.NoContent();
        });

        v2.MapGet("/images/{id}/members", async (HttpContext http, string id, ImageService images) =>
        {
            var members = await images.ListMembersAsync(http.Caller(), id, http.RequestAborted);
            return OpenStackJson.Result(new JsonObject
            {
                ["members"] = new JsonArray(members.Select(m => (JsonNode?)ImageView.Render(m)).ToArray()),
                ["schema"] = ImageView.MembersSchemaPath,
            });
        });
        v2.MapPost("/images/{id}/members", async (HttpContext http, string id, ImageService images) =>
        {
            var body = await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted);
            return OpenStackJson.Result(ImageView.Render(await images.AddMemberAsync(http.Caller(), id, body, http.RequestAborted)));
        });
        v2.MapGet("/images/{id}/members/{member}", async (HttpContext http, string id, string member, ImageService images) =>
            OpenStackJson.Result(ImageView.Render(await images.GetMemberAsync(http.Caller(), id, member, http.RequestAborted))));
        v2.MapPut("/images/{id}/members/{member}", async (HttpContext http, string id, string member, ImageService images) =>
        {
            var body = await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted);
            return OpenStackJson.Result(ImageView.Render(await images.UpdateMemberAsync(http.Caller(), id, member, body, http.RequestAborted)));
        });
        v2.MapDelete("/images/{id}/members/{member}", async (HttpContext http, string id, string member, ImageService images) =>
        {
            await images.DeleteMemberAsync(http.Caller(), id, member, http.RequestAborted);
            return Results.NoContent();
        });

        v2.MapGet("/schemas/image", () => OpenStackJson.Result(ImageSchemaDocuments.Image()));
        v2.MapGet("/schemas/images", () => OpenStackJson.Result(ImageSchemaDocuments.Images()));
        v2.MapGet("/schemas/member", () => OpenStackJson.Result(ImageSchemaDocuments.Member()));
        v2.MapGet("/schemas/members", () => OpenStackJson.Result(ImageSchemaDocuments.Members()));
    }

    /// <summary>gl: api/versions.py: every v2.x entry points at the same /v2/; the newest is CURRENT.</summary>
    public static JsonObject VersionList(ServiceUrls urls) => new()
    {
        ["versions"] = new JsonArray(Versions.Select((id, index) => (JsonNode?)new JsonObject
        {
            ["id"] = id,
            ["status"] = index == 0 ? "CURRENT" : "SUPPORTED",
            ["links"] = new JsonArray(new JsonObject { ["rel"] = "self", ["href"] = urls.Image + "/v2/" }),
        }).ToArray()),
    };

    private static async Task<IResult> ListAsync(HttpContext http, ImageService images)
    {
        var query = ImageListQuery.Parse(http.Request.Query);
        var (page, next) = await images.ListAsync(http.Caller(), query, http.RequestAborted);
        var first = ImageListQuery.FirstQuery(http.Request.Query);
        var body = new JsonObject
        {
            ["images"] = new JsonArray(page.Select(i => (JsonNode?)ImageView.Render(i)).ToArray()),
            ["first"] = "/v2/images" + (first.Length > 0 ? "?" + first : ""),
            ["schema"] = ImageView.ImagesSchemaPath,
        };
        if (next is not null)
        {
            body["next"] = "/v2/images?" + ImageListQuery.NextQuery(http.Request.Query, next);
        }

        return OpenStackJson.Result(body);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, ImageService images, ServiceUrls urls)
    {
        var body = await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted);
        var image = await images.CreateAsync(http.Caller(), body, http.RequestAborted);
        http.Response.Headers.Location = $"{urls.Image}/v2/images/{image.Id}";
        return OpenStackJson.Result(ImageView.Render(image), 201);
    }

    private static async Task<IResult> PatchAsync(HttpContext http, string id, ImageService images)
    {
        var draft = ImagePatch.DraftOf(http.Request.ContentType);
        if (draft is null)
        {
            http.Response.Headers["Accept-Patch"] = $"{ImagePatch.MediaType20}, {ImagePatch.MediaType21}";
            throw new ApiException(415, $"Image PATCH expects Content-Type one of: {ImagePatch.MediaType20}, {ImagePatch.MediaType21}");
        }

        var changes = ImagePatch.Parse(await ImagePatch.ReadBodyAsync(http.Request, http.RequestAborted), draft.Value);
        return OpenStackJson.Result(ImageView.Render(await images.UpdateAsync(http.Caller(), id, changes, http.RequestAborted)));
    }

    private static async Task<IResult> DownloadAsync(HttpContext http, string id, ImageService images)
    {
        var (image, data) = await images.OpenDataAsync(http.Caller(), id, http.RequestAborted);
        if (data is null)
        {
            return Results.NoContent();
        }

        if (image.Checksum is not null)
        {
            http.Response.Headers["Content-MD5"] = image.Checksum;
        }

        return Results.Stream(data, "application/octet-stream");
    }
}
