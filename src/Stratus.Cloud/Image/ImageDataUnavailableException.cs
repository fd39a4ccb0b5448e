namespace Stratus.Cloud.Image;

/// <summary>
/// Thrown by <see cref="IImageCatalog.OpenReadAsync"/> when an image has no data to read: unknown, not active
/// (queued, saving, deactivated) or its file is missing. The conductor fails the build with this message.
/// </summary>
internal sealed class ImageDataUnavailableException(string imageId, string reason)
    : Exception($"Image {imageId} has no data to read: {reason}")
{
    public string ImageId { get; } = imageId;
}
