// Transcribed from the published XenAPI datamodel (xapi-project/xen-api, doc/data/xenapi.json at e2ee48d):
// names, types, qualifiers and defaults only. Edit by hand to add a field; keep the datamodel's order.
namespace Stratus.XenApi.Schema;

public static partial class XenModel
{
    public static readonly XenClass Role = new("role", persist: true, events: true, inDatabase: true,
    [
        new("uuid", XenType.String, Qualifier.DynamicRO),
        new("name_label", XenType.String, Qualifier.StaticRO, defaultValue: "", hasDefault: true),
        new("name_description", XenType.String, Qualifier.StaticRO, defaultValue: "", hasDefault: true),
        new("subroles", XenType.SetOf(XenType.RefTo("role")), Qualifier.StaticRO, hasDefault: true),
        new("is_internal", XenType.Bool, Qualifier.DynamicRO, defaultValue: false, hasDefault: true),
    ]);
}
