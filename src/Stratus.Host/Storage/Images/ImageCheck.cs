using System.Text.Json;

namespace Stratus.Host.Storage.Images;

/// <summary>
/// The verdict of <c>qemu-img check</c>: exit 0 clean, 3 leaked clusters only (harmless), 2 corruptions, 1 the check
/// itself failed. <see cref="ImageEndOffset"/> is where the image's last allocated byte ends.
/// </summary>
internal sealed record ImageCheck(int ExitCode, long Corruptions, long ImageEndOffset, string Detail)
{
    public bool Consistent => ExitCode is 0 or 3;

    public static ImageCheck Parse(int exitCode, string json, string detail)
    {
        long corruptions = 0, end = 0;
        if (!string.IsNullOrWhiteSpace(json))
        {
            try
            {
                using var document = JsonDocument.Parse(json);
                var root = document.RootElement;
                corruptions = root.TryGetProperty("corruptions", out var c) ? c.GetInt64() : 0;
                end = root.TryGetProperty("image-end-offset", out var e) ? e.GetInt64() : 0;
            }
            catch (JsonException)
            {
                // qemu-img printed no JSON (the image could not even be opened); the exit code says enough.
            }
        }

        return new ImageCheck(exitCode, corruptions, end, detail);
    }
}
