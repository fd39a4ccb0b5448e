using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Network;

namespace Stratus.Cloud.Conductor.ConfigDrive;

/// <summary>
/// An OpenStack config drive (nova/virt/configdrive.py, nova/api/metadata/base.py): a vfat file system labelled
/// <c>config-2</c> with openstack/latest/meta_data.json, network_data.json, vendor_data.json and user_data (the
/// same under openstack/2012-08-10 for older cloud-init). XenAPI needs vfat (nova's xenapi driver refused iso9660);
/// the guest finds the drive by its label.
/// </summary>
internal static class ConfigDriveBuilder
{
    public const string Label = "config-2";

    private static readonly string[] Versions = ["2012-08-10", "latest"];

    public static byte[] Build(Instance instance, string availabilityZone, IReadOnlyList<PortAllocation> ports, DateTime now)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var meta = Encoding.UTF8.GetBytes(MetaData(instance, availabilityZone).ToJsonString());
        var network = Encoding.UTF8.GetBytes(NetworkData(ports).ToJsonString());
        var userData = UserData(instance);
        foreach (var version in Versions)
        {
            files[$"openstack/{version}/meta_data.json"] = meta;
            files[$"openstack/{version}/network_data.json"] = network;
            files[$"openstack/{version}/vendor_data.json"] = "{}"u8.ToArray();
            if (userData is not null)
            {
                files[$"openstack/{version}/user_data"] = userData;
            }
        }

        return FatImage.Build(Label, files, now, (uint)instance.Id.GetHashCode());
    }

    /// <summary>meta_data.json: who the server is (uuid, name, hostname, zone, project, metadata, keys).</summary>
    public static JsonObject MetaData(Instance instance, string availabilityZone)
    {
        var meta = new JsonObject();
        foreach (var (key, value) in instance.Metadata)
        {
            meta[key] = value;
        }

        var body = new JsonObject
        {
            ["uuid"] = instance.Id.ToString(),
            ["name"] = instance.Name,
            ["hostname"] = instance.Hostname.Length > 0 ? instance.Hostname : instance.Name,
            ["launch_index"] = instance.LaunchIndex,
            ["availability_zone"] = availabilityZone,
            ["project_id"] = instance.ProjectId,
            ["meta"] = meta,
            ["devices"] = new JsonArray(),
        };
        if (instance.KeyName is { } keyName && instance.KeyData is { } keyData)
        {
            body["public_keys"] = new JsonObject { [keyName] = keyData };
            body["keys"] = new JsonArray(new JsonObject { ["name"] = keyName, ["type"] = "ssh", ["data"] = keyData });
        }

        return body;
    }

    /// <summary>
    /// network_data.json (nova/virt/netutils.py get_network_metadata): a link per port (by MAC), a static network
    /// per fixed IP with its routes, and the subnets' DNS servers.
    /// </summary>
    public static JsonObject NetworkData(IReadOnlyList<PortAllocation> ports)
    {
        var links = new JsonArray();
        var networks = new JsonArray();
        var services = new JsonArray();
        var dns = new HashSet<string>(StringComparer.Ordinal);
        var n = 0;
        foreach (var port in ports)
        {
            var link = "tap" + (port.PortId.Length > 11 ? port.PortId[..11] : port.PortId);
            links.Add(new JsonObject
            {
                ["id"] = link,
                ["vif_id"] = port.PortId,
                ["type"] = "phy",
                ["mtu"] = port.Mtu,
                ["ethernet_mac_address"] = port.MacAddress,
            });
            foreach (var ip in port.FixedIps)
            {
                var prefix = Prefix(ip.Cidr);
                var routes = new JsonArray();
                if (ip.Gateway is { Length: > 0 } gateway)
                {
                    routes.Add(ip.Version == 6
                        ? new JsonObject { ["network"] = "::", ["netmask"] = "::", ["gateway"] = gateway }
                        : new JsonObject { ["network"] = "0.0.0.0", ["netmask"] = "0.0.0.0", ["gateway"] = gateway });
                }

                networks.Add(new JsonObject
                {
                    ["id"] = $"network{n++}",
                    ["type"] = ip.Version == 6 ? "ipv6" : "ipv4",
                    ["link"] = link,
                    ["ip_address"] = ip.Address,
                    ["netmask"] = ip.Version == 6 ? prefix.ToString(CultureInfo.InvariantCulture) : Netmask(prefix),
                    ["routes"] = routes,
                    ["network_id"] = port.NetworkId,
                    ["services"] = new JsonArray([.. ip.DnsNameservers.Select(d => (JsonNode)new JsonObject { ["type"] = "dns", ["address"] = d })]),
                });
                foreach (var server in ip.DnsNameservers.Where(dns.Add))
                {
                    services.Add(new JsonObject { ["type"] = "dns", ["address"] = server });
                }
            }
        }

        return new JsonObject { ["links"] = links, ["networks"] = networks, ["services"] = services };
    }

    private static byte[]? UserData(Instance instance)
    {
        if (string.IsNullOrEmpty(instance.UserData))
        {
            return null;
        }

        try
        {
            return Convert.FromBase64String(instance.UserData);
        }
        catch (FormatException)
        {
            // The API validates base64; anything else is passed through as text rather than dropped.
            return Encoding.UTF8.GetBytes(instance.UserData);
        }
    }

    private static int Prefix(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && int.TryParse(cidr.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) ? prefix : 24;
    }

    private static string Netmask(int prefix)
    {
        var mask = prefix <= 0 ? 0u : uint.MaxValue << (32 - Math.Min(prefix, 32));
        return new IPAddress([(byte)(mask >> 24), (byte)(mask >> 16), (byte)(mask >> 8), (byte)mask]).ToString();
    }
}
