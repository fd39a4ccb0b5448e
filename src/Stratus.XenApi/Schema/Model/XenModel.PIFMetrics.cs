// Transcribed from the published XenAPI datamodel (xapi-project/xen-api, doc/data/xenapi.json at e2ee48d):
// names, types, qualifiers and defaults only. Edit by hand to add a field; keep the datamodel's order.
namespace Stratus.XenApi.Schema;

public static partial class XenModel
{
    public static readonly XenClass PIFMetrics = new("PIF_metrics", persist: true, events: true, inDatabase: true,
    [
        new("uuid", XenType.String, Qualifier.DynamicRO),
        new("carrier", XenType.Bool, Qualifier.DynamicRO),
        new("vendor_id", XenType.String, Qualifier.DynamicRO),
        new("vendor_name", XenType.String, Qualifier.DynamicRO),
        new("device_id", XenType.String, Qualifier.DynamicRO),
        new("device_name", XenType.String, Qualifier.DynamicRO),
        new("speed", XenType.Int, Qualifier.DynamicRO),
        new("duplex", XenType.Bool, Qualifier.DynamicRO),
        new("pci_bus_path", XenType.String, Qualifier.DynamicRO),
        new("last_updated", XenType.DateTime, Qualifier.DynamicRO),
        new("other_config", XenType.MapOf(XenType.String, XenType.String), Qualifier.RW, hasDefault: true),
    ]);
}
