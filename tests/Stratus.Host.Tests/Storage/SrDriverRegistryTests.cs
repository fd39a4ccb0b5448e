using Microsoft.Extensions.DependencyInjection;
using Stratus.Host.Storage;
using Stratus.XenApi;

namespace Stratus.Host.Tests.Storage;

public sealed class SrDriverRegistryTests
{
    [Fact]
    public void AddStorage_ServiceProvider_ResolvesEveryDriverType()
    {
        using var provider = new ServiceCollection().AddLogging().AddStorage().BuildServiceProvider();

        var registry = provider.GetRequiredService<SrDriverRegistry>();
        var drivers = provider.GetRequiredService<ISrDrivers>();

        Assert.Equal(["ext", "iso", "lvm", "nfs"], registry.Types);
        Assert.All(registry.Types, type => Assert.Equal(type, drivers.Find(type)?.Type));
        Assert.All(drivers.All, driver => Assert.NotEmpty(driver.Configuration));
        Assert.Null(drivers.Find("udev"));
    }

    [Fact]
    public void Get_UnknownType_SrUnknownDriver()
    {
        using var provider = new ServiceCollection().AddLogging().AddStorage().BuildServiceProvider();

        var failure = Assert.Throws<XenApiFailure>(() => provider.GetRequiredService<SrDriverRegistry>().Get("lvmoiscsi"));

        Assert.Equal(XenErrors.SrUnknownDriver, failure.Code);
        Assert.Equal("lvmoiscsi", Assert.Single(failure.Parameters));
    }
}
