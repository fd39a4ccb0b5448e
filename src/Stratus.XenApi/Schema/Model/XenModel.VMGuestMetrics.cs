// Transcribed from the published XenAPI datamodel (xapi-project/xen-api, doc/data/xenapi.json at e2ee48d):
// names, types, qualifiers and defaults only. Edit by hand to add a field; keep the datamodel's order.
namespace Stratus.XenApi.Schema;

public static partial class XenModel
{
    public static readonly XenClass VMGuestMetrics = new("VM_guest_metrics", persist: true, events: true, inDatabase: true,
    [
        new("uuid", XenType.String, Qualifier.DynamicRO),
        new("os_version", XenType.MapOf(XenType.String, XenType.String), Qualifier.DynamicRO),
        new("PV_drivers_version", XenType.MapOf(XenType.String, XenType.String), Qualifier.DynamicRO),
        new("PV_drivers_up_to_date", XenType.Bool, Qualifier.DynamicRO, deprecated: true),
        new("networks", XenType.MapOf(XenType.String, XenType.String), Qualifier.DynamicRO),
        new("other", XenType.MapOf(XenType.String, XenType.String), Qualifier.DynamicRO),
        new("last_updated", XenType.DateTime, Qualifier.DynamicRO),
        new("other_config", XenType.MapOf(XenType.String, XenType.String), Qualifier.RW, hasDefault: true),
        new("live", XenType.Bool, Qualifier.DynamicRO, defaultValue: false, hasDefault: true),
        new("can_use_hotplug_vbd", XenType.EnumOf(XenEnums.TristateType), Qualifier.DynamicRO, defaultValue: "unspecified", hasDefault: true),
        new("can_use_hotplug_vif", XenType.EnumOf(XenEnums.TristateType), Qualifier.DynamicRO, defaultValue: "unspecified", hasDefault: true),
        new("PV_drivers_detected", XenType.Bool, Qualifier.DynamicRO, defaultValue: false, hasDefault: true),
    ]);
}
