namespace Stratus.Host.Images;

/// <summary>The files under Images/Guest, embedded in the assembly: the test image's init scripts and helpers.</summary>
internal static class GuestAssets
{
    public static byte[] Read(string name)
    {
        using var stream = typeof(GuestAssets).Assembly.GetManifestResourceStream($"Stratus.Host.Images.Guest.{name}")
            ?? throw new InvalidOperationException($"embedded guest asset {name} is missing from the build");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
