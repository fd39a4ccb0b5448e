namespace Stratus.Host.Tests.Support;

/// <summary>
/// A unique, short directory under /tmp (QMP socket paths must fit in 107 bytes), removed on dispose.
/// </summary>
internal sealed class ShortTempDirectory : IDisposable
{
    public ShortTempDirectory()
    {
        Path = System.IO.Path.Combine("/tmp", $"sh-{Guid.NewGuid().ToString("N")[..10]}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A QEMU still closing its files; the OS cleans /tmp.
        }
    }
}
