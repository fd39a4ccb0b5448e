using Stratus.XenApi;
using static Stratus.Cli.Xe.Records.XeFields;

namespace Stratus.Cli.Xe.Records;

/// <summary>The CLI's PIF record (records.ml <c>pif_record</c>); carrier, speed and the like come from PIF_metrics.</summary>
internal static class PifRecord
{
    private const string Metrics = "metrics";

    public static XeRecordType Type { get; } = new("pif", "PIF", Build())
    {
        DefaultListParams = ["uuid", "device", "VLAN", "MAC", "network-uuid", "currently-attached", "host-uuid"],
    };

    private static XeField[] Build() =>
    [
        Text("uuid", "uuid"),
        Text("device", "device"),
        Text("MAC", "MAC") with { CaseInsensitive = true },
        Bool("physical", "physical"),
        Bool("managed", "managed"),
        Bool("currently-attached", "currently_attached"),
        Text("MTU", "MTU"),
        Text("VLAN", "VLAN"),
        RefUuid("vlan-master-of", "VLAN_master_of", "VLAN"),
        RefUuids("vlan-slave-of", "VLAN_slave_of", "VLAN"),
        RefUuids("bond-master-of", "bond_master_of", "Bond"),
        RefUuid("bond-slave-of", "bond_slave_of", "Bond"),
        RefUuids("sriov-physical-PIF-of", "sriov_physical_PIF_of", "network_sriov"),
        RefUuids("sriov-logical-PIF-of", "sriov_logical_PIF_of", "network_sriov"),
        RefUuids("tunnel-access-PIF-of", "tunnel_access_PIF_of", "tunnel"),
        RefUuids("tunnel-transport-PIF-of", "tunnel_transport_PIF_of", "tunnel"),
        Bool("management", "management"),
        RefUuid("network-uuid", "network", "network"),
        RefName("network-name-label", "network", "network"),
        RefUuid("host-uuid", "host", "host"),
        RefName("host-name-label", "host", "host"),
        Enum("IP-configuration-mode", "ip_configuration_mode"),
        Text("IP", "IP"),
        Text("netmask", "netmask"),
        Text("gateway", "gateway"),
        Enum("IPv6-configuration-mode", "ipv6_configuration_mode"),
        Strings("IPv6", "IPv6"),
        Text("IPv6-gateway", "ipv6_gateway"),
        Enum("primary-address-type", "primary_address_type"),
        Text("DNS", "DNS"),
        Map("properties", "properties") with
        {
            SetInMap = (row, key, value, ct) => row.CallAsync("PIF.set_property", ct, row.Ref, key, value),
        },
        Strings("capabilities", "capabilities", asSet: true),
        HostRate("io_read_kbs", "rx"),
        HostRate("io_write_kbs", "tx"),
        Related("carrier", Metrics, "PIF_metrics", "carrier", XeText.Bool),
        Related("vendor-id", Metrics, "PIF_metrics", "vendor_id", XeText.Of),
        Related("vendor-name", Metrics, "PIF_metrics", "vendor_name", XeText.Of),
        Related("device-id", Metrics, "PIF_metrics", "device_id", XeText.Of),
        Related("device-name", Metrics, "PIF_metrics", "device_name", XeText.Of),
        Related("speed", Metrics, "PIF_metrics", "speed", v => XeText.Of(v) + " Mbit/s"),
        new XeField
        {
            Name = "duplex",
            Requires = [Metrics],
            Get = async (row, ct) =>
            {
                var metrics = await row.RelatedAsync(Metrics, "PIF_metrics", ct);
                if (metrics is null)
                {
                    return XeContext.NotInDatabase;
                }

                return XeText.IsTrue(metrics.GetValueOrDefault("duplex")) ? "full"
                    : XeText.IsTrue(metrics.GetValueOrDefault("carrier")) ? "half"
                    : "unknown";
            },
        },
        Bool("disallow-unplug", "disallow_unplug") with { Set = SetSafeBool("PIF.set_disallow_unplug", "disallow-unplug") },
        Related("pci-bus-path", Metrics, "PIF_metrics", "pci_bus_path", XeText.Of),
        MapRw("other-config", "other_config", "PIF"),
        Enum("igmp-snooping-status", "igmp_snooping_status"),
    ];

    private static XeField HostRate(string name, string direction) =>
        new()
        {
            Name = name,
            Expensive = true,
            Requires = ["device", "host"],
            Get = async (row, ct) =>
            {
                try
                {
                    var value = await row.CallAsync("host.query_data_source", ct, row["host"], $"pif_{XeText.Of(row["device"])}_{direction}");
                    return XeText.Float(XeText.ToDouble(value) / 1024.0);
                }
                catch (XenApiFailure)
                {
                    return "<unknown>";
                }
            },
        };
}
