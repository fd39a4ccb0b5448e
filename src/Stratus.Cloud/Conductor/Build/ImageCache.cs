using Stratus.Cloud.Conductor.Hosts;
using Stratus.Cloud.Image;
using Stratus.XenApi;

namespace Stratus.Cloud.Conductor.Build;

/// <summary>
/// One VDI per image per SR on each host (nova's cache_images=all): found by its name and
/// <c>other_config:image-id</c>, else created and filled by streaming the image through <c>/import_raw_vdi</c>.
/// A VDI is marked ready only after the import succeeded, so an import cut short is never used as a cache.
/// </summary>
internal static class ImageCache
{
    /// <summary>other_config key marking a cached image VDI's state: "importing" until the data is complete, then "ready".</summary>
    public const string StateKey = "stratus-image";

    public const string ImageIdKey = "image-id";

    /// <summary>The XenAPI import format for a Glance disk_format, or null when it cannot be imported.</summary>
    public static string? ImportFormat(string? diskFormat) => diskFormat?.ToLowerInvariant() switch
    {
        "raw" or "iso" or "ami" or null or "" => "raw",
        "qcow2" => "qcow2",
        "vhd" or "vpc" => "vhd",
        _ => null,
    };

    public static string VdiName(string imageId) => $"Glance image {imageId}";

    /// <summary>The cached VDI of <paramref name="image"/> on <paramref name="srRef"/> and its virtual size, importing it first if needed.</summary>
    public static async Task<(string Ref, long VirtualSize)> EnsureAsync(HostLink link, string srRef, ImageInfo image, IImageCatalog images, CancellationToken cancellationToken)
    {
        var format = ImportFormat(image.DiskFormat)
            ?? throw new BuildAbortedException($"Image {image.Id} has disk format {image.DiskFormat}, which cannot be imported (raw, qcow2, vhd and iso can).");
        var key = srRef + "/" + image.Id;
        if (link.ImageVdis.TryGetValue(key, out var cached) && await VirtualSizeAsync(link, cached, cancellationToken) is { } size)
        {
            return (cached, size);
        }

        var gate = link.LockFor("image:" + key);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (await FindAsync(link, srRef, image.Id, cancellationToken) is { } found)
            {
                link.ImageVdis[key] = found.Ref;
                return found;
            }

            var imported = await ImportAsync(link, srRef, image, format, images, cancellationToken);
            link.ImageVdis[key] = imported.Ref;
            return imported;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Forgets a cached ref that turned out stale (the VDI was destroyed behind the controller's back).</summary>
    public static void Forget(HostLink link, string srRef, string imageId) => link.ImageVdis.TryRemove(srRef + "/" + imageId, out _);

    private static async Task<long?> VirtualSizeAsync(HostLink link, string vdiRef, CancellationToken cancellationToken)
    {
        try
        {
            return XenRecord.ToLong(await link.CallAsync("VDI.get_virtual_size", cancellationToken, vdiRef));
        }
        catch (XenApiFailure failure) when (failure.Code == XenErrors.HandleInvalid)
        {
            return null;
        }
    }

    private static async Task<(string Ref, long VirtualSize)?> FindAsync(HostLink link, string srRef, string imageId, CancellationToken cancellationToken)
    {
        var records = XenRecord.AsRecords(await link.CallAsync("VDI.get_all_records_where", cancellationToken,
            $"field \"name__label\"={XenRecord.Quote(VdiName(imageId))} and field \"SR\"={XenRecord.Quote(srRef)}"));
        foreach (var (reference, record) in records)
        {
            if (record.MapValue("other_config", ImageIdKey) == imageId && record.MapValue("other_config", StateKey) == "ready"
                && record.MapValue("other_config", "stratus-import-failed") is null && !record.Bool("missing"))
            {
                return (reference, record.Long("virtual_size"));
            }
        }

        return null;
    }

    private static async Task<(string Ref, long VirtualSize)> ImportAsync(HostLink link, string srRef, ImageInfo image, string format, IImageCatalog images, CancellationToken cancellationToken)
    {
        Stream data;
        try
        {
            data = await images.OpenReadAsync(image.Id, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidOperationException or KeyNotFoundException or IOException)
        {
            throw new BuildAbortedException($"Image {image.Id} could not be read.", e.Message);
        }

        await using var stream = data;

        // The import VDI must hold the image's virtual size; when the image service does not know it, the
        // qcow2/VHD header says it. The header bytes are then replayed in front of the rest.
        var header = new byte[DiskImageHeader.Length];
        var read = 0;
        while (read < header.Length && await stream.ReadAsync(header.AsMemory(read), cancellationToken) is var n and > 0)
        {
            read += n;
        }

        var virtualSize = image.VirtualSize is > 0 ? image.VirtualSize.Value
            : DiskImageHeader.VirtualSize(header.AsSpan(0, read), format) ?? image.Size ?? read;
        if (format == "raw")
        {
            virtualSize = Math.Max(virtualSize, image.Size ?? 0);
        }

        // Whole MiB: what SRs allocate in anyway.
        virtualSize = Math.Max(1L << 20, (virtualSize + (1L << 20) - 1) & ~((1L << 20) - 1));
        var vdi = XenValue.ToDbString(await link.CallAsync("VDI.create", cancellationToken, new Dictionary<string, object?>
        {
            ["name_label"] = VdiName(image.Id),
            ["name_description"] = image.Name,
            ["SR"] = srRef,
            ["virtual_size"] = virtualSize,
            ["type"] = "user",
            ["sharable"] = false,
            ["read_only"] = false,
            ["other_config"] = new Dictionary<string, object?> { [ImageIdKey] = image.Id, [StateKey] = "importing" },
            ["xenstore_data"] = XenValue.EmptyMap,
            ["sm_config"] = XenValue.EmptyMap,
            ["tags"] = XenValue.EmptySet,
        }));
        try
        {
            await using var content = new PrefixedStream(header, read, stream);
            await HostTransfers.ImportAsync(link, vdi, format, content, image.Size, cancellationToken);
            await link.CallAsync("VDI.remove_from_other_config", cancellationToken, vdi, StateKey);
            await link.CallAsync("VDI.add_to_other_config", cancellationToken, vdi, StateKey, "ready");
            return (vdi, virtualSize);
        }
        catch
        {
            await Teardown.DestroyVdiQuietlyAsync(link, vdi);
            throw;
        }
    }
}
