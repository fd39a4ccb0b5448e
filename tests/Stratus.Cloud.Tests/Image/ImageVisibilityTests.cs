using System.Text.Json.Nodes;
using Stratus.Cloud.Tests.Support;

namespace Stratus.Cloud.Tests.Image;

/// <summary>Who sees which image: public, private, shared (members), community; admin sees all.</summary>
public sealed class ImageVisibilityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PrivateImage_IsInvisibleToAnotherProject()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, "secret", "private", Ct);

        var show = await api.GetAsync($"/image/v2/images/{id}", FakeTokens.Bob, Ct);
        var list = await ListNamesAsync(api, FakeTokens.Bob, "");
        var byName = await ListNamesAsync(api, FakeTokens.Bob, "?name=secret");
        var download = await api.GetAsync($"/image/v2/images/{id}/file", FakeTokens.Bob, Ct);
        var delete = await api.DeleteAsync($"/image/v2/images/{id}", FakeTokens.Bob, Ct);

        Assert.Equal(404, show.Status);
        Assert.DoesNotContain("secret", list);
        Assert.Empty(byName);
        Assert.Equal(404, download.Status);
        Assert.Equal(404, delete.Status);
        Assert.Contains("secret", await ListNamesAsync(api, FakeTokens.Alice, ""));
        Assert.Contains("secret", await ListNamesAsync(api, FakeTokens.Admin, ""));
    }

    [Fact]
    public async Task PublicImage_IsVisibleToAll_ButOnlyOwnerOrAdminChangesIt()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Admin, "cirros", "public", Ct);

        Assert.Contains("cirros", await ListNamesAsync(api, FakeTokens.Bob, ""));
        Assert.Equal(200, (await api.GetAsync($"/image/v2/images/{id}", FakeTokens.Bob, Ct)).Status);
        Assert.Equal(403, (await api.DeleteAsync($"/image/v2/images/{id}", FakeTokens.Bob, Ct)).Status);
        Assert.Equal(403, (await api.PutBytesAsync($"/image/v2/images/{id}/file", FakeTokens.Bob, new byte[1], Ct)).Status);
        Assert.Equal("queued", (await api.GetAsync($"/image/v2/images/{id}", FakeTokens.Bob, Ct)).Object["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task CommunityImage_IsNotInDefaultListing_ButIsShownAndListedOnRequest()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, "community-image", "community", Ct);

        Assert.DoesNotContain("community-image", await ListNamesAsync(api, FakeTokens.Bob, ""));
        Assert.Contains("community-image", await ListNamesAsync(api, FakeTokens.Bob, "?visibility=community"));
        Assert.Contains("community-image", await ListNamesAsync(api, FakeTokens.Bob, "?visibility=all"));
        Assert.Contains("community-image", await ListNamesAsync(api, FakeTokens.Alice, ""));
        Assert.Equal(200, (await api.GetAsync($"/image/v2/images/{id}", FakeTokens.Bob, Ct)).Status);
    }

    [Fact]
    public async Task SharedImage_IsVisibleToMember_AndListedOnceAccepted()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, "shared-image", "shared", Ct);
        Assert.Equal(404, (await api.GetAsync($"/image/v2/images/{id}", FakeTokens.Bob, Ct)).Status);

        var add = await api.PostAsync($"/image/v2/images/{id}/members", FakeTokens.Alice, new JsonObject { ["member"] = FakeTokens.ProjectB }, Ct);
        var duplicate = await api.PostAsync($"/image/v2/images/{id}/members", FakeTokens.Alice, new JsonObject { ["member"] = FakeTokens.ProjectB }, Ct);
        var pendingShow = await api.GetAsync($"/image/v2/images/{id}", FakeTokens.Bob, Ct);
        var pendingList = await ListNamesAsync(api, FakeTokens.Bob, "");
        var ownerAccepting = await api.PutAsync($"/image/v2/images/{id}/members/{FakeTokens.ProjectB}", FakeTokens.Alice, new JsonObject { ["status"] = "accepted" }, Ct);
        var accept = await api.PutAsync($"/image/v2/images/{id}/members/{FakeTokens.ProjectB}", FakeTokens.Bob, new JsonObject { ["status"] = "accepted" }, Ct);
        var acceptedList = await ListNamesAsync(api, FakeTokens.Bob, "");
        var members = await api.GetAsync($"/image/v2/images/{id}/members", FakeTokens.Alice, Ct);

        Assert.Equal(200, add.Status);
        Assert.Equal("pending", add.Object["status"]!.GetValue<string>());
        Assert.Equal(409, duplicate.Status);
        Assert.Equal(200, pendingShow.Status);
        Assert.DoesNotContain("shared-image", pendingList);
        Assert.Equal(403, ownerAccepting.Status);
        Assert.Equal(200, accept.Status);
        Assert.Contains("shared-image", acceptedList);
        Assert.Equal(FakeTokens.ProjectB, Assert.Single(members.Object["members"]!.AsArray())!["member_id"]!.GetValue<string>());
        Assert.Equal(403, (await api.DeleteAsync($"/image/v2/images/{id}", FakeTokens.Bob, Ct)).Status);
    }

    [Fact]
    public async Task Admin_SeesEveryProjectsImages_AndFiltersByOwner()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        await TestImages.CreateAsync(api, FakeTokens.Alice, "a1", "private", Ct);
        await TestImages.CreateAsync(api, FakeTokens.Bob, "b1", "private", Ct);

        var all = await ListNamesAsync(api, FakeTokens.Admin, "");
        var ofB = await ListNamesAsync(api, FakeTokens.Admin, $"?owner={FakeTokens.ProjectB}");

        Assert.Contains("a1", all);
        Assert.Contains("b1", all);
        Assert.Equal(["b1"], ofB);
    }

    [Fact]
    public async Task List_Paging_FollowsNextUntilAllSeenOnce()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        for (var i = 0; i < 7; i++)
        {
            await TestImages.CreateAsync(api, FakeTokens.Alice, $"img-{i}", "private", Ct);
        }

        var seen = new List<string>();
        var path = "/image/v2/images?limit=3&sort_key=name&sort_dir=asc";
        var pages = 0;
        while (path is not null)
        {
            var page = (await api.GetAsync(path, FakeTokens.Alice, Ct)).Object;
            pages++;
            seen.AddRange(page["images"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
            Assert.Equal("/v2/schemas/images", page["schema"]!.GetValue<string>());
            path = page["next"] is { } next ? "/image" + next.GetValue<string>() : null;
        }

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"img-{i}"), seen);
        Assert.Equal(3, pages);
    }

    [Theory]
    [InlineData("?limit=x")]
    [InlineData("?limit=-1")]
    [InlineData("?sort_key=owner")]
    [InlineData("?sort_dir=sideways")]
    [InlineData("?visibility=everyone")]
    [InlineData("?marker=00000000-0000-0000-0000-000000000000")]
    [InlineData("?status=happy")]
    [InlineData("?size_min=big")]
    public async Task List_BadQuery_Is400(string query)
    {
        await using var api = await ApiHarness.StartAsync(Ct);

        var reply = await api.GetAsync("/image/v2/images" + query, FakeTokens.Alice, Ct);

        Assert.Equal(400, reply.Status);
        Assert.Equal("text/plain", reply.MediaType);
    }

    [Fact]
    public async Task List_FiltersOnPropertiesAndSize()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var small = await TestImages.CreateAsync(api, FakeTokens.Alice, new JsonObject { ["name"] = "small", ["disk_format"] = "raw", ["container_format"] = "bare", ["os_distro"] = "cirros" }, Ct);
        var big = await TestImages.CreateAsync(api, FakeTokens.Alice, new JsonObject { ["name"] = "big", ["disk_format"] = "raw", ["container_format"] = "bare", ["os_distro"] = "debian" }, Ct);
        await api.PutBytesAsync($"/image/v2/images/{small}/file", FakeTokens.Alice, new byte[10], Ct);
        await api.PutBytesAsync($"/image/v2/images/{big}/file", FakeTokens.Alice, new byte[1000], Ct);

        Assert.Equal(["small"], await ListNamesAsync(api, FakeTokens.Alice, "?os_distro=cirros"));
        Assert.Equal(["big"], await ListNamesAsync(api, FakeTokens.Alice, "?size_min=100"));
        Assert.Equal(["small"], await ListNamesAsync(api, FakeTokens.Alice, "?size_max=100"));
        Assert.Equal(["big", "small"], (await ListNamesAsync(api, FakeTokens.Alice, "?name=in:small,big")).Order());
    }

    private static async Task<List<string>> ListNamesAsync(ApiHarness api, string token, string query)
    {
        var reply = await api.GetAsync("/image/v2/images" + query, token, Ct);
        Assert.True(reply.Status == 200, reply.ToString());
        return reply.Object["images"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()).ToList();
    }
}
