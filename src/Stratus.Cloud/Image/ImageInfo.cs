namespace Stratus.Cloud.Image;

/// <summary>
/// An image as Compute sees it. <see cref="Properties"/> holds the free-form string properties
/// (kernel_id, ramdisk_id, hw_*, os_distro, and the scheduler's image property checks).
/// </summary>
internal sealed record ImageInfo(
    string Id,
    string Name,
    string Status,
    string? DiskFormat,
    string? ContainerFormat,
    long? Size,
    long? VirtualSize,
    int MinRamMb,
    int MinDiskGb,
    string Owner,
    string Visibility,
    IReadOnlyDictionary<string, string> Properties);
