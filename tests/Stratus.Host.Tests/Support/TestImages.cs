using Stratus.Testing;

namespace Stratus.Host.Tests.Support;

/// <summary>Disk contents for transfer tests: random data with an all-zero MiB in the middle and a zero tail, so holes are exercised.</summary>
internal static class TestImages
{
    public const int MiB = 1 << 20;

    public static byte[] Raw(int bytes, int seed)
    {
        var data = new byte[bytes];
        new Random(seed).NextBytes(data);
        if (bytes >= 4 * MiB)
        {
            Array.Clear(data, 2 * MiB, MiB);
            Array.Clear(data, bytes - MiB, MiB);
        }

        return data;
    }

    /// <summary>Converts raw bytes into <paramref name="format"/> with the real qemu-img and returns the image file's bytes.</summary>
    public static async Task<byte[]> ConvertAsync(byte[] raw, string format, TempDirectory scratch)
    {
        var rawPath = scratch.Combine($"source-{Guid.NewGuid():N}.raw");
        var imagePath = scratch.Combine($"source-{Guid.NewGuid():N}.{format}");
        await File.WriteAllBytesAsync(rawPath, raw, TestContext.Current.CancellationToken);
        string[] options = format == "vpc" ? ["-o", "subformat=dynamic,force_size=on"] : [];
        await Tools.RunAsync("qemu-img", ["convert", "-f", "raw", "-O", format, .. options, rawPath, imagePath]);
        var bytes = await File.ReadAllBytesAsync(imagePath, TestContext.Current.CancellationToken);
        File.Delete(rawPath);
        File.Delete(imagePath);
        return bytes;
    }
}
