using Stratus.Host.Images;

[assembly: AssemblyFixture(typeof(Stratus.Host.Tests.Support.TestImageFixture))]

namespace Stratus.Host.Tests.Support;

/// <summary>Builds the test image once per test run (a couple of seconds), for every test that boots a VM.</summary>
public sealed class TestImageFixture : IAsyncLifetime
{
    private readonly ShortTempDirectory _directory = new();
    private TestImage? _image;
    private string? _unavailable;

    internal TestImage Image => _image ?? MissingImage();

    /// <summary>The fastest kernel for direct boot: the unpacked PVH vmlinux when there is one.</summary>
    internal string Kernel => Image.PvhKernelPath ?? Image.KernelPath;

    private TestImage MissingImage()
    {
        Requires.Missing(_unavailable ?? "the test image");
        return null!;
    }

    public async ValueTask InitializeAsync()
    {
        try
        {
            _image = await new TestImageBuilder().BuildAsync(new TestImageOptions(_directory.File("image")), TestContext.Current.CancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or Stratus.Host.Processes.CommandFailedException)
        {
            _unavailable = $"the test image cannot be built here: {e.Message}";
        }
    }

    public ValueTask DisposeAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
