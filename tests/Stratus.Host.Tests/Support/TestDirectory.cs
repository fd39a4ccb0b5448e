namespace Stratus.Host.Tests.Support;

/// <summary>A unique temporary directory, removed (with whatever is in it) at the end of the test.</summary>
public sealed class TestDirectory : IDisposable
{
    public TestDirectory()
    {
        Path = Directory.CreateTempSubdirectory("stratus-test-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Join([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A tmpfs still mounted below (its owner unmounts it); nothing else to do.
        }
    }
}
