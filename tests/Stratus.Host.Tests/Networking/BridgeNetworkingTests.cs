using Stratus.Host.Networking;

namespace Stratus.Host.Tests.Networking;

public sealed class BridgeNetworkingTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(42)]
    public void TapName_AnyVif_FitsIfNameSizeAndIsStable(int device)
    {
        const string uuid = "0b3a5a43-5b5c-4e65-9a4b-2f1a7f0c9d11";

        var name = BridgeNetworking.TapName(uuid, device);

        Assert.True(name.Length <= 15, name);
        Assert.Equal($"st0b3a5a435n{device}", name);
        Assert.NotEqual(name, BridgeNetworking.TapName("1b3a5a43-5b5c-4e65-9a4b-2f1a7f0c9d11", device));
    }
}
