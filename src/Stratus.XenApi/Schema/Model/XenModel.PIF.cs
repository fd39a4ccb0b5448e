// Transcribed from the published XenAPI datamodel (xapi-project/xen-api, doc/data/xenapi.json at e2ee48d):
// names, types, qualifiers and defaults only. Edit by hand to add a field; keep the datamodel's order.
namespace Stratus.XenApi.Schema;

public static partial class XenModel
{
    public static readonly XenClass PIF = new("PIF", persist: true, events: true, inDatabase: true,
    [
        new("uuid", XenType.String, Qualifier.DynamicRO),
        new("device", XenType.String, Qualifier.StaticRO),
        new("network", XenType.RefTo("network"), Qualifier.StaticRO),
        new("host", XenType.RefTo("host"), Qualifier.StaticRO),
        new("MAC", XenType.String, Qualifier.StaticRO),
        new("MTU", XenType.Int, Qualifier.StaticRO),
        new("VLAN", XenType.Int, Qualifier.StaticRO),
        new("metrics", XenType.RefTo("PIF_metrics"), Qualifier.DynamicRO),
        new("physical", XenType.Bool, Qualifier.DynamicRO, defaultValue: false, hasDefault: true),
        new("currently_attached", XenType.Bool, Qualifier.DynamicRO, defaultValue: true, hasDefault: true),
        new("ip_configuration_mode", XenType.EnumOf(XenEnums.IpConfigurationMode), Qualifier.DynamicRO, defaultValue: "None", hasDefault: true),
        new("IP", XenType.String, Qualifier.DynamicRO, defaultValue: "", hasDefault: true),
        new("netmask", XenType.String, Qualifier.DynamicRO, defaultValue: "", hasDefault: true),
        new("gateway", XenType.String, Qualifier.DynamicRO, defaultValue: "", hasDefault: true),
        new("DNS", XenType.String, Qualifier.DynamicRO, defaultValue: "", hasDefault: true),
        new("bond_slave_of", XenType.RefTo("Bond"), Qualifier.DynamicRO, defaultValue: XenRef.Null, hasDefault: true),
        new("bond_master_of", XenType.SetOf(XenType.RefTo("Bond")), Qualifier.DynamicRO),
        new("VLAN_master_of", XenType.RefTo("VLAN"), Qualifier.DynamicRO, defaultValue: XenRef.Null, hasDefault: true),
        new("VLAN_slave_of", XenType.SetOf(XenType.RefTo("VLAN")), Qualifier.DynamicRO),
        new("management", XenType.Bool, Qualifier.DynamicRO, defaultValue: false, hasDefault: true),
        new("other_config", XenType.MapOf(XenType.String, XenType.String), Qualifier.RW, hasDefault: true),
        new("disallow_unplug", XenType.Bool, Qualifier.DynamicRO, defaultValue: false, hasDefault: true),
        new("tunnel_access_PIF_of", XenType.SetOf(XenType.RefTo("tunnel")), Qualifier.DynamicRO),
        new("tunnel_transport_PIF_of", XenType.SetOf(XenType.RefTo("tunnel")), Qualifier.DynamicRO),
        new("ipv6_configuration_mode", XenType.EnumOf(XenEnums.Ipv6ConfigurationMode), Qualifier.DynamicRO, defaultValue: "None", hasDefault: true),
        new("IPv6", XenType.SetOf(XenType.String), Qualifier.DynamicRO, hasDefault: true),
        new("ipv6_gateway", XenType.String, Qualifier.DynamicRO, defaultValue: "", hasDefault: true),
        new("primary_address_type", XenType.EnumOf(XenEnums.PrimaryAddressType), Qualifier.DynamicRO, defaultValue: "IPv4", hasDefault: true),
        new("managed", XenType.Bool, Qualifier.StaticRO, defaultValue: true, hasDefault: true),
        new("properties", XenType.MapOf(XenType.String, XenType.String), Qualifier.DynamicRO, hasDefault: true),
        new("capabilities", XenType.SetOf(XenType.String), Qualifier.DynamicRO, hasDefault: true),
        new("igmp_snooping_status", XenType.EnumOf(XenEnums.PifIgmpStatus), Qualifier.DynamicRO, defaultValue: "unknown", hasDefault: true),
        new("sriov_physical_PIF_of", XenType.SetOf(XenType.RefTo("network_sriov")), Qualifier.DynamicRO),
        new("sriov_logical_PIF_of", XenType.SetOf(XenType.RefTo("network_sriov")), Qualifier.DynamicRO),
        new("PCI", XenType.RefTo("PCI"), Qualifier.DynamicRO, defaultValue: XenRef.Null, hasDefault: true),
    ]);
}
