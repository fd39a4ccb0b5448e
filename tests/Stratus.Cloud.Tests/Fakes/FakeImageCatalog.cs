using System.Collections.Concurrent;
using Stratus.Cloud.Image;

namespace Stratus.Cloud.Tests.Fakes;

/// <summary>Images in memory; counts how often each image's data was read (the host-side cache should make it once per host).</summary>
internal sealed class FakeImageCatalog : IImageCatalog
{
    private readonly ConcurrentDictionary<string, (ImageInfo Info, byte[] Data)> _images = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, int> Reads { get; } = new(StringComparer.Ordinal);

    public ImageInfo Add(string id, byte[] data, string diskFormat = "raw", IReadOnlyDictionary<string, string>? properties = null, string status = "active")
    {
        var info = new ImageInfo(id, "image-" + id, status, diskFormat, "bare", data.Length, null, 0, 0, "admin", "public", properties ?? new Dictionary<string, string>());
        _images[id] = (info, data);
        return info;
    }

    public Task<ImageInfo?> FindAsync(string imageId, string? projectId, CancellationToken cancellationToken) =>
        Task.FromResult(_images.TryGetValue(imageId, out var image) ? image.Info : null);

    public Task<Stream> OpenReadAsync(string imageId, CancellationToken cancellationToken)
    {
        Reads.AddOrUpdate(imageId, 1, (_, n) => n + 1);
        return Task.FromResult<Stream>(new MemoryStream(_images[imageId].Data, writable: false));
    }
}
