namespace Stratus.Host.Tests.Support.ConfigDrive;

/// <summary>
/// What goes on a config drive (OpenStack layout, openstack/latest/): meta_data.json (at least uuid and hostname),
/// network_data.json as JSON text (links, networks, services), and user_data as given.
/// </summary>
internal sealed record ConfigDriveContent(IReadOnlyDictionary<string, object?> MetaData, string? NetworkData = null, string? UserData = null)
{
    /// <summary>The meta data a guest needs: its uuid, hostname and name.</summary>
    public static IReadOnlyDictionary<string, object?> BasicMetaData(string uuid, string hostname) => new Dictionary<string, object?>
    {
        ["uuid"] = uuid,
        ["hostname"] = hostname,
        ["name"] = hostname,
        ["launch_index"] = 0,
        ["availability_zone"] = "nova",
    };

    /// <summary>network_data.json for static IPv4 on NICs identified by MAC: one link and one network per entry.</summary>
    public static string StaticNetworkData(IEnumerable<(string Mac, string Address, string Netmask, string? Gateway)> nics)
    {
        var links = new List<object>();
        var networks = new List<object>();
        var i = 0;
        foreach (var (mac, address, netmask, gateway) in nics)
        {
            links.Add(new Dictionary<string, object?> { ["id"] = $"tap{i}", ["type"] = "phy", ["ethernet_mac_address"] = mac, ["mtu"] = 1500 });
            var routes = gateway is null
                ? new List<object>()
                : [new Dictionary<string, object?> { ["network"] = "0.0.0.0", ["netmask"] = "0.0.0.0", ["gateway"] = gateway }];
            networks.Add(new Dictionary<string, object?>
            {
                ["id"] = $"network{i}", ["type"] = "ipv4", ["link"] = $"tap{i}", ["ip_address"] = address, ["netmask"] = netmask, ["routes"] = routes,
            });
            i++;
        }

        return System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?> { ["links"] = links, ["networks"] = networks, ["services"] = new List<object>() });
    }
}
