using System.Collections.Concurrent;
using Stratus.Cloud.Image;

namespace Stratus.Cloud.Tests.Compute.Support;

/// <summary>The image service as compute sees it: images in memory, public ones visible to every project.</summary>
internal sealed class FakeImageCatalog : IImageCatalog
{
    public const string CirrosId = "d216391e-4e33-4dd9-8a15-3ed9e999bf4c";
    public const string QueuedId = "11111111-2222-3333-4444-555555555555";

    public ConcurrentDictionary<string, ImageInfo> Images { get; } = new(StringComparer.Ordinal)
    {
        [CirrosId] = new(CirrosId, "cirros-0.3.4-x86_64-disk", "active", "qcow2", "bare", 13287936, 41126400, 0, 0, "admin", "public",
            new Dictionary<string, string>()),
        [QueuedId] = new(QueuedId, "empty", "queued", null, null, null, null, 0, 0, "admin", "public", new Dictionary<string, string>()),
    };

    public Task<ImageInfo?> FindAsync(string imageId, string? projectId, CancellationToken cancellationToken) =>
        Task.FromResult(Images.TryGetValue(imageId, out var image) && (projectId is null || image.Visibility == "public" || image.Owner == projectId) ? image : null);

    public Task<Stream> OpenReadAsync(string imageId, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new MemoryStream([1, 2, 3]));
}
