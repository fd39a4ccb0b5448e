using System.Text.Json;

namespace Stratus.Host.Storage.Images;

/// <summary>The parts of <c>qemu-img info --output=json</c> the drivers use.</summary>
internal sealed record ImageInfo(string Format, long VirtualSize, long ActualSize, string? BackingFile, string? DataFile)
{
    public static ImageInfo Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string? dataFile = null;
        if (root.TryGetProperty("format-specific", out var specific) && specific.TryGetProperty("data", out var data)
            && data.TryGetProperty("data-file", out var file))
        {
            dataFile = file.GetString();
        }

        return new ImageInfo(
            root.GetProperty("format").GetString() ?? "",
            root.GetProperty("virtual-size").GetInt64(),
            root.TryGetProperty("actual-size", out var actual) ? actual.GetInt64() : 0,
            root.TryGetProperty("backing-filename", out var backing) ? backing.GetString() : null,
            dataFile);
    }
}
