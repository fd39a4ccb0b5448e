// Transcribed from the published XenAPI datamodel (xapi-project/xen-api, doc/data/xenapi.json at e2ee48d):
// names, types, qualifiers and defaults only. Edit by hand to add a field; keep the datamodel's order.
namespace Stratus.XenApi.Schema;

public static partial class XenModel
{
    public static readonly XenClass SM = new("SM", persist: true, events: true, inDatabase: true,
    [
        new("uuid", XenType.String, Qualifier.DynamicRO),
        new("name_label", XenType.String, Qualifier.DynamicRO, defaultValue: "", hasDefault: true),
        new("name_description", XenType.String, Qualifier.DynamicRO, defaultValue: "", hasDefault: true),
        new("type", XenType.String, Qualifier.DynamicRO),
        new("vendor", XenType.String, Qualifier.DynamicRO),
        new("copyright", XenType.String, Qualifier.DynamicRO),
        new("version", XenType.String, Qualifier.DynamicRO),
        new("required_api_version", XenType.String, Qualifier.DynamicRO),
        new("configuration", XenType.MapOf(XenType.String, XenType.String), Qualifier.DynamicRO),
        new("capabilities", XenType.SetOf(XenType.String), Qualifier.DynamicRO, hasDefault: true, deprecated: true),
        new("features", XenType.MapOf(XenType.String, XenType.Int), Qualifier.DynamicRO, hasDefault: true),
        new("other_config", XenType.MapOf(XenType.String, XenType.String), Qualifier.RW, hasDefault: true),
        new("driver_filename", XenType.String, Qualifier.DynamicRO, defaultValue: "", hasDefault: true),
        new("required_cluster_stack", XenType.SetOf(XenType.String), Qualifier.DynamicRO, hasDefault: true),
    ]);
}
