using Stratus.Cloud.Image.Data;

namespace Stratus.Cloud.Image;

/// <summary>What Compute and the Conductor see of the image service (<see cref="IImageCatalog"/>).</summary>
internal sealed class ImageCatalog(ImageStore store, ImageDataStore data) : IImageCatalog
{
    public async Task<ImageInfo?> FindAsync(string imageId, string? projectId, CancellationToken cancellationToken)
    {
        var id = ImageRules.NormalizeId(imageId);
        if (id is null || await store.FindAsync(id, cancellationToken) is not { } image)
        {
            return null;
        }

        if (projectId is not null)
        {
            var membership = image.Visibility == "shared" ? await store.FindMemberAsync(id, projectId, cancellationToken) : null;
            if (!ImageAccess.CanSee(image, projectId, isAdmin: false, membership))
            {
                return null;
            }
        }

        return ToInfo(image);
    }

    public async Task<Stream> OpenReadAsync(string imageId, CancellationToken cancellationToken)
    {
        var id = ImageRules.NormalizeId(imageId) ?? throw new ImageDataUnavailableException(imageId, "no such image");
        var image = await store.FindAsync(id, cancellationToken) ?? throw new ImageDataUnavailableException(imageId, "no such image");
        if (image.Status != ImageStatus.Active)
        {
            throw new ImageDataUnavailableException(id, $"its status is {image.Status}, not active");
        }

        return data.OpenRead(id) ?? throw new ImageDataUnavailableException(id, "its file is missing from the image store");
    }

    public static ImageInfo ToInfo(ImageRecord image) => new(
        image.Id,
        image.Name ?? "",
        image.Status,
        image.DiskFormat,
        image.ContainerFormat,
        image.Size,
        image.VirtualSize,
        (int)Math.Min(image.MinRam, int.MaxValue),
        (int)Math.Min(image.MinDisk, int.MaxValue),
        image.Owner ?? "",
        image.Visibility,
        image.Properties.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal));
}
