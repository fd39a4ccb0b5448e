using Stratus.Testing;

namespace Stratus.EndToEnd.Tests.Image;

/// <summary>
/// One real controller (<c>stratus cloud serve</c>, no hosts) shared by the image CLI tests; each test works
/// under its own unique names and projects.
/// </summary>
public sealed class ImageCloudFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new("stratus-e2e-image");

    public StratusProcess Cloud { get; private set; } = null!;

    public Uri Url => Cloud.Url;

    public string DataDirectory => _data.Path;

    public async ValueTask InitializeAsync() =>
        Cloud = await CloudProcess.StartAsync(_data.Path, [], TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Cloud is not null)
        {
            await Cloud.DisposeAsync();
        }

        _data.Dispose();
    }
}
