namespace Stratus.Cloud.Image;

/// <summary>What Compute and the Conductor need from the image service: look images up and read their bytes.</summary>
internal interface IImageCatalog
{
    /// <summary>The image if it exists and <paramref name="projectId"/> may use it (null project: any image, for admin and the conductor).</summary>
    Task<ImageInfo?> FindAsync(string imageId, string? projectId, CancellationToken cancellationToken);

    /// <summary>Streams an active image's data (never buffered whole).</summary>
    Task<Stream> OpenReadAsync(string imageId, CancellationToken cancellationToken);
}
