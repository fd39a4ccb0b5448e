using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Stratus.Cloud.Image;
using Stratus.Cloud.Tests.Support;

namespace Stratus.Cloud.Tests.Image;

/// <summary>The Glance v2 API over real HTTP: create, upload state machine, download, update, delete, errors.</summary>
public sealed class ImageApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task VersionDocument_WithoutToken_Is300WithV2Entries()
    {
        await using var api = await ApiHarness.StartAsync(Ct);

        var reply = await api.GetAsync("/image", token: null, Ct);

        Assert.Equal(300, reply.Status);
        var versions = reply.Object["versions"]!.AsArray();
        Assert.Contains(versions, v => v!["status"]!.GetValue<string>() == "CURRENT" && v["id"]!.GetValue<string>().StartsWith("v2.", StringComparison.Ordinal));
        Assert.All(versions, v => Assert.EndsWith("/image/v2/", v!["links"]![0]!["href"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Images_WithoutToken_Is401()
    {
        await using var api = await ApiHarness.StartAsync(Ct);

        var reply = await api.GetAsync("/image/v2/images", token: null, Ct);

        Assert.Equal(401, reply.Status);
        Assert.Equal("text/plain", reply.MediaType);
    }

    [Fact]
    public async Task Create_LikeOsc_Returns201QueuedWithLocationAndStringProperties()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var body = new JsonObject
        {
            ["visibility"] = "public",
            ["disk_format"] = "qcow2",
            ["container_format"] = "bare",
            ["name"] = "cirros2",
            ["owner_specified.openstack.md5"] = "",
            ["owner_specified.openstack.sha256"] = "",
            ["owner_specified.openstack.object"] = "images/cirros2",
            ["kernel_id"] = null,
        };

        var reply = await api.PostAsync("/image/v2/images", FakeTokens.Admin, body, Ct);

        Assert.Equal(201, reply.Status);
        var image = reply.Object;
        var id = image["id"]!.GetValue<string>();
        Assert.Equal("queued", image["status"]!.GetValue<string>());
        Assert.Equal("public", image["visibility"]!.GetValue<string>());
        Assert.Equal(FakeTokens.AdminProject, image["owner"]!.GetValue<string>());
        Assert.Equal("images/cirros2", image["owner_specified.openstack.object"]!.GetValue<string>());
        Assert.Null(image["size"]);
        Assert.Null(image["checksum"]);
        Assert.Null(image["kernel_id"]);
        Assert.True(image.ContainsKey("kernel_id"));
        Assert.Equal($"/v2/images/{id}", image["self"]!.GetValue<string>());
        Assert.Equal($"/v2/images/{id}/file", image["file"]!.GetValue<string>());
        Assert.Equal("/v2/schemas/image", image["schema"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", image["created_at"]!.GetValue<string>());
        Assert.EndsWith($"/image/v2/images/{id}", reply.Headers["Location"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithoutVisibility_DefaultsToSharedOwnedByCaller()
    {
        await using var api = await ApiHarness.StartAsync(Ct);

        var reply = await api.PostAsync("/image/v2/images", FakeTokens.Alice, new JsonObject { ["name"] = "x" }, Ct);

        Assert.Equal(201, reply.Status);
        Assert.Equal("shared", reply.Object["visibility"]!.GetValue<string>());
        Assert.Equal(FakeTokens.ProjectA, reply.Object["owner"]!.GetValue<string>());
        Assert.Null(reply.Object["disk_format"]);
    }

    [Theory]
    [InlineData("""{"name":"x","disk_format":"floppy"}""", 400)]
    [InlineData("""{"name":"x","container_format":"tarball"}""", 400)]
    [InlineData("""{"name":"x","visibility":"everyone"}""", 400)]
    [InlineData("""{"name":"x","min_ram":"lots"}""", 400)]
    [InlineData("""{"name":"x","hw_rng_model":5}""", 400)]
    [InlineData("""{"name":"x","kernel_id":"not-a-uuid"}""", 400)]
    [InlineData("""{"name":"x","protected":"yes"}""", 400)]
    [InlineData("""{"name":"x","id":"nope"}""", 400)]
    [InlineData("""{"name":"x","status":"active"}""", 403)]
    [InlineData("""{"name":"x","size":5}""", 403)]
    [InlineData("""{"name":"x","self":"/v2/images/x"}""", 403)]
    [InlineData("""{"name":"x","os_glance_import_task":"t"}""", 403)]
    [InlineData("""{"name":"x","location":"http://example"}""", 403)]
    [InlineData("""{"name":"x","visibility":"public"}""", 403)]
    [InlineData("""{"name":"x","owner":"someone-else"}""", 403)]
    [InlineData("""[1,2]""", 400)]
    [InlineData("""{"name":""", 400)]
    public async Task Create_BadInput_IsRefusedWithPlainTextAndCreatesNothing(string body, int status)
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        var reply = await api.SendAsync(HttpMethod.Post, "/image/v2/images", FakeTokens.Alice, content, Ct);

        Assert.Equal(status, reply.Status);
        Assert.Equal("text/plain", reply.MediaType);
        Assert.StartsWith($"{status} ", reply.Text, StringComparison.Ordinal);
        var list = await api.GetAsync("/image/v2/images", FakeTokens.Admin, Ct);
        Assert.Empty(list.Object["images"]!.AsArray());
    }

    [Fact]
    public async Task Create_ByReader_Is403()
    {
        await using var api = await ApiHarness.StartAsync(Ct);

        var reply = await api.PostAsync("/image/v2/images", FakeTokens.Reader, new JsonObject { ["name"] = "x" }, Ct);

        Assert.Equal(403, reply.Status);
    }

    [Fact]
    public async Task Create_WithChosenId_UsesItAndRefusesItTwice()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = Guid.NewGuid().ToString("D");

        var first = await api.PostAsync("/image/v2/images", FakeTokens.Alice, new JsonObject { ["id"] = id }, Ct);
        var second = await api.PostAsync("/image/v2/images", FakeTokens.Alice, new JsonObject { ["id"] = id }, Ct);

        Assert.Equal(201, first.Status);
        Assert.Equal(id, first.Object["id"]!.GetValue<string>());
        Assert.Equal(409, second.Status);
    }

    [Theory]
    [InlineData("cirros")]
    [InlineData("11111111-2222-3333-4444-555555555555")]
    public async Task Show_UnknownOrNonUuidId_Is404(string id)
    {
        await using var api = await ApiHarness.StartAsync(Ct);

        var reply = await api.GetAsync($"/image/v2/images/{id}", FakeTokens.Alice, Ct);

        Assert.Equal(404, reply.Status);
        Assert.Contains($"No image found with ID {id}", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_Qcow2_GoesActiveWithSizeHashesAndVirtualSize()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, "disk", "private", Ct);
        var data = TestImages.Qcow2(virtualSize: 1L << 30);

        var upload = await api.PutBytesAsync($"/image/v2/images/{id}/file", FakeTokens.Alice, data, Ct);
        var image = (await api.GetAsync($"/image/v2/images/{id}", FakeTokens.Alice, Ct)).Object;

        Assert.Equal(204, upload.Status);
        Assert.Equal("active", image["status"]!.GetValue<string>());
        Assert.Equal(data.Length, image["size"]!.GetValue<long>());
        Assert.Equal(1L << 30, image["virtual_size"]!.GetValue<long>());
        Assert.Equal(TestImages.Md5Hex(data), image["checksum"]!.GetValue<string>());
        Assert.Equal("sha512", image["os_hash_algo"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(SHA512.HashData(data)), image["os_hash_value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Upload_Raw_VirtualSizeIsSize()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, new JsonObject { ["disk_format"] = "raw", ["container_format"] = "bare" }, Ct);
        var data = new byte[12345];

        await api.PutBytesAsync($"/image/v2/images/{id}/file", FakeTokens.Alice, data, Ct);
        var image = (await api.GetAsync($"/image/v2/images/{id}", FakeTokens.Alice, Ct)).Object;

        Assert.Equal(12345, image["virtual_size"]!.GetValue<long>());
    }

    [Fact]
    public async Task Download_ActiveImage_StreamsTheSameBytesWithContentMd5()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, "disk", "private", Ct);
        var data = TestImages.Qcow2(1L << 20, length: 3 * 1024 * 1024 + 17);
        await api.PutBytesAsync($"/image/v2/images/{id}/file", FakeTokens.Alice, data, Ct);

        var reply = await api.GetAsync($"/image/v2/images/{id}/file", FakeTokens.Alice, Ct);

        Assert.Equal(200, reply.Status);
        Assert.Equal("application/octet-stream", reply.MediaType);
        Assert.Equal(data, reply.Body);
        Assert.Equal(TestImages.Md5Hex(data), reply.Headers["Content-MD5"]);
    }

    [Fact]
    public async Task Download_QueuedImage_Is204()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, "empty", "private", Ct);

        var reply = await api.GetAsync($"/image/v2/images/{id}/file", FakeTokens.Alice, Ct);

        Assert.Equal(204, reply.Status);
    }

    [Fact]
    public async Task Upload_Twice_Is409AndKeepsTheFirstData()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, "disk", "private", Ct);
        var first = TestImages.Qcow2(1L << 20);
        await api.PutBytesAsync($"/image/v2/images/{id}/file", FakeTokens.Alice, first, Ct);

        var second = await api.PutBytesAsync($"/image/v2/images/{id}/file", FakeTokens.Alice, new byte[100], Ct);
        var download = await api.GetAsync($"/image/v2/images/{id}/file", FakeTokens.Alice, Ct);

        Assert.Equal(409, second.Status);
        Assert.Contains("active to saving", second.Text, StringComparison.Ordinal);
        Assert.Equal(first, download.Body);
    }

    [Fact]
    public async Task Upload_WithoutFormats_Is400AndStaysQueued()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, new JsonObject { ["name"] = "bare" }, Ct);

        var reply = await api.PutBytesAsync($"/image/v2/images/{id}/file", FakeTokens.Alice, new byte[10], Ct);
        var image = (await api.GetAsync($"/image/v2/images/{id}", FakeTokens.Alice, Ct)).Object;

        Assert.Equal(400, reply.Status);
        Assert.Equal("queued", image["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Upload_WrongContentType_Is415()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, "disk", "private", Ct);
        using var content = new ByteArrayContent(new byte[10]);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");

        var reply = await api.PutContentAsync($"/image/v2/images/{id}/file", FakeTokens.Alice, content, Ct);

        Assert.Equal(415, reply.Status);
    }

    [Fact]
    public async Task Upload_CutOffMidway_LeavesImageQueuedWithoutData_AndCanBeRetried()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, "disk", "private", Ct);
        var data = TestImages.Qcow2(1L << 20, length: 2 * 1024 * 1024);
        using var content = new ControlledContent(data[..(1024 * 1024)], data[(1024 * 1024)..]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        var upload = api.PutContentAsync($"/image/v2/images/{id}/file", FakeTokens.Alice, content, Ct);
        await content.PrefixSent.WaitAsync(Ct);
        await Eventually.WaitAsync(() => api.GetAsync($"/image/v2/images/{id}", FakeTokens.Alice, Ct), r => r.Object["status"]!.GetValue<string>() == "saving", Ct);
        content.Release(cut: true);
        await Assert.ThrowsAnyAsync<Exception>(() => upload);
        var image = await Eventually.WaitAsync(() => api.GetAsync($"/image/v2/images/{id}", FakeTokens.Alice, Ct), r => r.Object["status"]!.GetValue<string>() == "queued", Ct);

        Assert.Null(image.Object["size"]);
        Assert.Empty(Directory.GetFiles(Path.Combine(api.DataDirectory, "images")));
        var retry = await api.PutBytesAsync($"/image/v2/images/{id}/file", FakeTokens.Alice, data, Ct);
        Assert.Equal(204, retry.Status);
        Assert.Equal(data, (await api.GetAsync($"/image/v2/images/{id}/file", FakeTokens.Alice, Ct)).Body);
    }

    [Fact]
    public async Task Upload_WhileAnotherIsSaving_Is409_AndTheFirstCompletes()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, "disk", "private", Ct);
        var data = TestImages.Qcow2(1L << 20, length: 512 * 1024);
        using var content = new ControlledContent(data[..1000], data[1000..]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        var first = api.PutContentAsync($"/image/v2/images/{id}/file", FakeTokens.Alice, content, Ct);
        await Eventually.WaitAsync(() => api.GetAsync($"/image/v2/images/{id}", FakeTokens.Alice, Ct), r => r.Object["status"]!.GetValue<string>() == "saving", Ct);
        var second = await api.PutBytesAsync($"/image/v2/images/{id}/file", FakeTokens.Alice, new byte[64], Ct);
        content.Release(cut: false);

        Assert.Equal(409, second.Status);
        Assert.Equal(204, (await first).Status);
        Assert.Equal(data, (await api.GetAsync($"/image/v2/images/{id}/file", FakeTokens.Alice, Ct)).Body);
    }

    [Fact]
    public async Task Delete_DuringUpload_UploadAnswers410AndLeavesNoFile()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, "disk", "private", Ct);
        var data = TestImages.Qcow2(1L << 20, length: 512 * 1024);
        using var content = new ControlledContent(data[..1000], data[1000..]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        var upload = api.PutContentAsync($"/image/v2/images/{id}/file", FakeTokens.Alice, content, Ct);
        await Eventually.WaitAsync(() => api.GetAsync($"/image/v2/images/{id}", FakeTokens.Alice, Ct), r => r.Object["status"]!.GetValue<string>() == "saving", Ct);
        var delete = await api.DeleteAsync($"/image/v2/images/{id}", FakeTokens.Alice, Ct);
        content.Release(cut: false);

        Assert.Equal(204, delete.Status);
        Assert.Equal(410, (await upload).Status);
        Assert.Empty(Directory.GetFiles(Path.Combine(api.DataDirectory, "images")));
    }

    [Fact]
    public async Task Patch_ReplaceAddRemove_UpdatesAndReturnsTheImage()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, new JsonObject { ["name"] = "old", ["foo"] = "bar" }, Ct);
        var patch = new JsonArray(
            new JsonObject { ["op"] = "replace", ["path"] = "/name", ["value"] = "new" },
            new JsonObject { ["op"] = "add", ["path"] = "/hw_rng_model", ["value"] = "virtio" },
            new JsonObject { ["op"] = "remove", ["path"] = "/foo" },
            new JsonObject { ["op"] = "replace", ["path"] = "/min_ram", ["value"] = 512 },
            new JsonObject { ["op"] = "add", ["path"] = "/kernel_id", ["value"] = "11111111-2222-3333-4444-555555555555" });

        var reply = await api.PatchAsync($"/image/v2/images/{id}", FakeTokens.Alice, patch, ImagePatch.MediaType21, Ct);

        Assert.Equal(200, reply.Status);
        var image = reply.Object;
        Assert.Equal("new", image["name"]!.GetValue<string>());
        Assert.Equal("virtio", image["hw_rng_model"]!.GetValue<string>());
        Assert.False(image.ContainsKey("foo"));
        Assert.Equal(512, image["min_ram"]!.GetValue<long>());
        Assert.Equal("11111111-2222-3333-4444-555555555555", image["kernel_id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""[{"op":"replace","path":"/status","value":"active"}]""", 403)]
    [InlineData("""[{"op":"replace","path":"/id","value":"x"}]""", 403)]
    [InlineData("""[{"op":"add","path":"/os_glance_x","value":"x"}]""", 403)]
    [InlineData("""[{"op":"remove","path":"/name"}]""", 403)]
    [InlineData("""[{"op":"replace","path":"/owner","value":"x"}]""", 403)]
    [InlineData("""[{"op":"replace","path":"/visibility","value":"public"}]""", 403)]
    [InlineData("""[{"op":"remove","path":"/nothing"}]""", 409)]
    [InlineData("""[{"op":"replace","path":"/nothing","value":"x"}]""", 409)]
    [InlineData("""[{"op":"move","path":"/name","value":"x"}]""", 400)]
    [InlineData("""[{"op":"replace","path":"/name"}]""", 400)]
    [InlineData("""[{"op":"replace","path":"/a/b","value":"x"}]""", 400)]
    [InlineData("""[{"op":"replace","path":"name","value":"x"}]""", 400)]
    [InlineData("""[{"op":"replace","path":"/disk_format","value":"floppy"}]""", 400)]
    [InlineData("""{"op":"replace"}""", 400)]
    public async Task Patch_BadChange_IsRefusedAndChangesNothing(string body, int status)
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, new JsonObject { ["name"] = "keep" }, Ct);
        using var content = new StringContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(ImagePatch.MediaType21);

        var reply = await api.SendAsync(HttpMethod.Patch, $"/image/v2/images/{id}", FakeTokens.Alice, content, Ct);

        Assert.Equal(status, reply.Status);
        Assert.Equal("keep", (await api.GetAsync($"/image/v2/images/{id}", FakeTokens.Alice, Ct)).Object["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_JsonContentType_Is415WithAcceptPatch()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, new JsonObject { ["name"] = "x" }, Ct);

        var reply = await api.PatchAsync($"/image/v2/images/{id}", FakeTokens.Alice, new JsonArray(), "application/json", Ct);

        Assert.Equal(415, reply.Status);
        Assert.Contains(ImagePatch.MediaType21, reply.Headers["Accept-Patch"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_DiskFormatOfActiveImage_Is403()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, "disk", "private", Ct);
        await api.PutBytesAsync($"/image/v2/images/{id}/file", FakeTokens.Alice, TestImages.Qcow2(1 << 20), Ct);

        var reply = await api.PatchAsync($"/image/v2/images/{id}", FakeTokens.Alice,
            new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/disk_format", ["value"] = "raw" }), ImagePatch.MediaType21, Ct);

        Assert.Equal(403, reply.Status);
    }

    [Fact]
    public async Task Delete_Protected_Is403_ThenUnprotectedDeletesDataToo()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, new JsonObject { ["disk_format"] = "raw", ["container_format"] = "bare", ["protected"] = true }, Ct);
        await api.PutBytesAsync($"/image/v2/images/{id}/file", FakeTokens.Alice, new byte[1000], Ct);

        var refused = await api.DeleteAsync($"/image/v2/images/{id}", FakeTokens.Alice, Ct);
        await api.PatchAsync($"/image/v2/images/{id}", FakeTokens.Alice, new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/protected", ["value"] = false }), ImagePatch.MediaType21, Ct);
        var deleted = await api.DeleteAsync($"/image/v2/images/{id}", FakeTokens.Alice, Ct);

        Assert.Equal(403, refused.Status);
        Assert.Contains("protected", refused.Text, StringComparison.Ordinal);
        Assert.Equal(204, deleted.Status);
        Assert.Equal(404, (await api.GetAsync($"/image/v2/images/{id}", FakeTokens.Alice, Ct)).Status);
        Assert.Empty(Directory.GetFiles(Path.Combine(api.DataDirectory, "images")));
        Assert.Equal(404, (await api.DeleteAsync($"/image/v2/images/{id}", FakeTokens.Alice, Ct)).Status);
    }

    [Fact]
    public async Task Tags_AddAndRemove()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, new JsonObject { ["name"] = "x" }, Ct);

        Assert.Equal(204, (await api.PutAsync($"/image/v2/images/{id}/tags/blue", FakeTokens.Alice, new JsonObject(), Ct)).Status);
        Assert.Equal(204, (await api.PutAsync($"/image/v2/images/{id}/tags/blue", FakeTokens.Alice, new JsonObject(), Ct)).Status);
        var tagged = (await api.GetAsync($"/image/v2/images?tag=blue", FakeTokens.Alice, Ct)).Object["images"]!.AsArray();
        Assert.Equal(204, (await api.DeleteAsync($"/image/v2/images/{id}/tags/blue", FakeTokens.Alice, Ct)).Status);
        Assert.Equal(404, (await api.DeleteAsync($"/image/v2/images/{id}/tags/blue", FakeTokens.Alice, Ct)).Status);

        Assert.Single(tagged);
        Assert.Equal("blue", Assert.Single(tagged[0]!["tags"]!.AsArray())!.GetValue<string>());
    }

    [Fact]
    public async Task Deactivate_BlocksDownloadForNonAdmin_ReactivateRestores()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, "disk", "private", Ct);
        var queuedDeactivate = await api.SendAsync(HttpMethod.Post, $"/image/v2/images/{id}/actions/deactivate", FakeTokens.Alice, null, Ct);
        await api.PutBytesAsync($"/image/v2/images/{id}/file", FakeTokens.Alice, new byte[100], Ct);

        var deactivate = await api.SendAsync(HttpMethod.Post, $"/image/v2/images/{id}/actions/deactivate", FakeTokens.Alice, null, Ct);
        var blocked = await api.GetAsync($"/image/v2/images/{id}/file", FakeTokens.Alice, Ct);
        var adminDownload = await api.GetAsync($"/image/v2/images/{id}/file", FakeTokens.Admin, Ct);
        var reactivate = await api.SendAsync(HttpMethod.Post, $"/image/v2/images/{id}/actions/reactivate", FakeTokens.Alice, null, Ct);

        Assert.Equal(400, queuedDeactivate.Status);
        Assert.Equal(204, deactivate.Status);
        Assert.Equal(403, blocked.Status);
        Assert.Equal(200, adminDownload.Status);
        Assert.Equal(204, reactivate.Status);
        Assert.Equal("active", (await api.GetAsync($"/image/v2/images/{id}", FakeTokens.Alice, Ct)).Object["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Schemas_AreServed()
    {
        await using var api = await ApiHarness.StartAsync(Ct);

        var image = await api.GetAsync("/image/v2/schemas/image", FakeTokens.Alice, Ct);
        var images = await api.GetAsync("/image/v2/schemas/images", FakeTokens.Alice, Ct);

        Assert.Equal("image", image.Object["name"]!.GetValue<string>());
        Assert.Equal("string", image.Object["additionalProperties"]!["type"]!.GetValue<string>());
        Assert.True(image.Object["properties"]!.AsObject().ContainsKey("kernel_id"));
        Assert.Equal("images", images.Object["name"]!.GetValue<string>());
    }
}
