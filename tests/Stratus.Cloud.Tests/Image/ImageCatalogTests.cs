using System.Text.Json.Nodes;
using Stratus.Cloud.Image;
using Stratus.Cloud.Tests.Support;

namespace Stratus.Cloud.Tests.Image;

/// <summary>The catalog Compute and the Conductor use, and recovery of uploads cut off by a stop.</summary>
public sealed class ImageCatalogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FindAsync_RespectsVisibility_AndCarriesProperties()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var kernel = Guid.NewGuid().ToString("D");
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, new JsonObject
        {
            ["name"] = "ami", ["visibility"] = "private", ["disk_format"] = "ami", ["container_format"] = "ami", ["kernel_id"] = kernel, ["min_ram"] = 64,
        }, Ct);
        var catalog = api.Get<IImageCatalog>();

        var own = await catalog.FindAsync(id, FakeTokens.ProjectA, Ct);
        var other = await catalog.FindAsync(id, FakeTokens.ProjectB, Ct);
        var any = await catalog.FindAsync(id.ToUpperInvariant(), null, Ct);
        var bogus = await catalog.FindAsync("cirros", null, Ct);

        Assert.NotNull(own);
        Assert.Equal(kernel, own.Properties["kernel_id"]);
        Assert.Equal(64, own.MinRamMb);
        Assert.Equal("queued", own.Status);
        Assert.Null(other);
        Assert.NotNull(any);
        Assert.Null(bogus);
    }

    [Fact]
    public async Task OpenReadAsync_StreamsActiveData_AndRefusesQueuedImages()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var queued = await TestImages.CreateAsync(api, FakeTokens.Alice, "q", "private", Ct);
        var active = await TestImages.CreateAsync(api, FakeTokens.Alice, "a", "private", Ct);
        var data = TestImages.Qcow2(1 << 20, 100_000);
        await api.PutBytesAsync($"/image/v2/images/{active}/file", FakeTokens.Alice, data, Ct);
        var catalog = api.Get<IImageCatalog>();

        await using var stream = await catalog.OpenReadAsync(active, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);

        Assert.Equal(data, copy.ToArray());
        var refused = await Assert.ThrowsAsync<ImageDataUnavailableException>(() => catalog.OpenReadAsync(queued, Ct));
        Assert.Contains("queued", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ImageDataUnavailableException>(() => catalog.OpenReadAsync(Guid.NewGuid().ToString(), Ct));
    }

    [Fact]
    public async Task RecoverInterruptedUploads_PutsSavingImagesBackToQueued_AndDropsPartialData()
    {
        await using var api = await ApiHarness.StartAsync(Ct);
        var id = await TestImages.CreateAsync(api, FakeTokens.Alice, "stuck", "private", Ct);
        var store = api.Get<ImageStore>();
        await store.UpdateAsync(id, i => i with { Status = ImageStatus.Saving }, Ct);
        var part = Path.Combine(api.DataDirectory, "images", $"{id}.0123.part");
        Directory.CreateDirectory(Path.GetDirectoryName(part)!);
        await File.WriteAllBytesAsync(part, new byte[10], Ct);

        await api.Get<ImageService>().RecoverInterruptedUploadsAsync(Ct);

        Assert.Equal(ImageStatus.Queued, (await store.FindAsync(id, Ct))!.Status);
        Assert.False(File.Exists(part));
    }
}
