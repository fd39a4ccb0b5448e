// Transcribed from the published XenAPI datamodel (xapi-project/xen-api, doc/data/xenapi.json at e2ee48d):
// names, types, qualifiers and defaults only. Edit by hand to add a field; keep the datamodel's order.
namespace Stratus.XenApi.Schema;

public static partial class XenModel
{
    public static readonly XenClass PBD = new("PBD", persist: true, events: true, inDatabase: true,
    [
        new("uuid", XenType.String, Qualifier.DynamicRO),
        new("host", XenType.RefTo("host"), Qualifier.StaticRO),
        new("SR", XenType.RefTo("SR"), Qualifier.StaticRO),
        new("device_config", XenType.MapOf(XenType.String, XenType.String), Qualifier.StaticRO),
        new("currently_attached", XenType.Bool, Qualifier.DynamicRO),
        new("other_config", XenType.MapOf(XenType.String, XenType.String), Qualifier.RW, hasDefault: true),
    ]);
}
