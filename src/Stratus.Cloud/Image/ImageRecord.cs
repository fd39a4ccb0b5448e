namespace Stratus.Cloud.Image;

/// <summary>
/// An image as Glance stores it (glance/domain Image): the base attributes, the free-form string properties
/// (<c>kernel_id</c>, <c>hw_*</c>, <c>owner_specified.openstack.*</c>, ...) and the tags. Persisted as a JSON document;
/// <see cref="ImageStore"/> indexes the columns it filters on.
/// </summary>
internal sealed record ImageRecord
{
    public required string Id { get; init; }

    public string? Name { get; init; }

    /// <summary>One of <see cref="ImageStatus"/>.</summary>
    public required string Status { get; init; }

    /// <summary>public, private, shared or community.</summary>
    public required string Visibility { get; init; }

    public bool Protected { get; init; }

    public bool OsHidden { get; init; }

    /// <summary>The owning project (glance allows null for images created by an admin without a project).</summary>
    public string? Owner { get; init; }

    public string? DiskFormat { get; init; }

    public string? ContainerFormat { get; init; }

    public long? Size { get; init; }

    public long? VirtualSize { get; init; }

    /// <summary>MD5 of the data, hex.</summary>
    public string? Checksum { get; init; }

    public string? OsHashAlgo { get; init; }

    public string? OsHashValue { get; init; }

    public long MinRam { get; init; }

    public long MinDisk { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    /// <summary>Extra properties. Values are strings; only the UUID-typed kernel_id and ramdisk_id may be null.</summary>
    public IReadOnlyDictionary<string, string?> Properties { get; init; } = new Dictionary<string, string?>();

    public IReadOnlyList<string> Tags { get; init; } = [];
}
