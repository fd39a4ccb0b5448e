using Stratus.Testing;

namespace Stratus.EndToEnd.Tests.Identity;

/// <summary>
/// One real controller (<c>stratus cloud serve</c>, no hosts) shared by a test class. Tests do not share data: each
/// creates the users and projects it needs under its own unique names.
/// </summary>
public sealed class IdentityCloudFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new("stratus-e2e-identity");

    public StratusProcess Cloud { get; private set; } = null!;

    public Uri Url => Cloud.Url;

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

    /// <summary>A name no other test uses.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
