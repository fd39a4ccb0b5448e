using Stratus.Testing;

namespace Stratus.EndToEnd.Tests.Network;

/// <summary>
/// One real controller shared by the network CLI tests, with DevStack's <c>public</c> external network (flat,
/// 172.24.4.0/24) created once through the real CLI; each test creates its own projects and tenant networks.
/// </summary>
public sealed class NetworkCloudFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new("stratus-e2e-network");

    public StratusProcess Cloud { get; private set; } = null!;

    public Uri Url => Cloud.Url;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Cloud = await CloudProcess.StartAsync(_data.Path, [], ct);
        var admin = OpenStackClient.Admin(Url);
        await CliSteps.RunAsync(admin, ct, "network", "create", "--external", "--provider-network-type", "flat", "--provider-physical-network", "public", "public");
        await CliSteps.RunAsync(admin, ct, "subnet", "create", "--network", "public", "--subnet-range", "172.24.4.0/24", "--no-dhcp", "public-subnet");
    }

    public async ValueTask DisposeAsync()
    {
        if (Cloud is not null)
        {
            await Cloud.DisposeAsync();
        }

        _data.Dispose();
    }
}
