using Stratus.Host.Images;
using Stratus.Host.Processes;
using Stratus.Host.Tests.Support;
using Stratus.Host.Tests.Support.ConfigDrive;

namespace Stratus.Host.Tests.Images;

/// <summary>The guest's JSON flattener (Guest/json.awk) run by busybox awk on the host, as the guest runs it.</summary>
public sealed class GuestJsonAwkTests
{
    private static async Task<Dictionary<string, string>> FlattenAsync(string json)
    {
        var busybox = Requires.Tool("busybox", "busybox-static");
        using var dir = new ShortTempDirectory();
        await File.WriteAllBytesAsync(dir.File("json.awk"), GuestAssets.Read("json.awk"), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(dir.File("in.json"), json, TestContext.Current.CancellationToken);
        var output = await ExternalCommand.RunCheckedAsync(busybox, ["awk", "-f", dir.File("json.awk"), dir.File("in.json")], TestContext.Current.CancellationToken);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t', 2)).ToDictionary(p => p[0], p => p[1]);
    }

    [Fact]
    public async Task Flatten_NetworkData_PathsForLinksNetworksRoutes()
    {
        var json = ConfigDriveContent.StaticNetworkData([("FA:16:3E:00:00:01", "10.0.0.5", "255.255.255.0", "10.0.0.1")]);

        var flat = await FlattenAsync(json);

        Assert.Equal("FA:16:3E:00:00:01", flat["links.0.ethernet_mac_address"]);
        Assert.Equal("1500", flat["links.0.mtu"]);
        Assert.Equal("tap0", flat["networks.0.link"]);
        Assert.Equal("10.0.0.5", flat["networks.0.ip_address"]);
        Assert.Equal("10.0.0.1", flat["networks.0.routes.0.gateway"]);
    }

    [Fact]
    public async Task Flatten_EscapesNestingAndEmptyContainers()
    {
        var flat = await FlattenAsync("""{"hostname": "a\"b\\c", "empty": [], "o": {}, "n": null, "list": [1, [true, false]], "deep": {"x": {"y": "z"}}}""");

        Assert.Equal("a\"b\\c", flat["hostname"]);
        Assert.Equal("null", flat["n"]);
        Assert.Equal("1", flat["list.0"]);
        Assert.Equal("false", flat["list.1.1"]);
        Assert.Equal("z", flat["deep.x.y"]);
        Assert.DoesNotContain("empty", flat.Keys);
    }
}
