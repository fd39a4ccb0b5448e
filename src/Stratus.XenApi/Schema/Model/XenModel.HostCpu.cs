// Transcribed from the published XenAPI datamodel (xapi-project/xen-api, doc/data/xenapi.json at e2ee48d):
// names, types, qualifiers and defaults only. Edit by hand to add a field; keep the datamodel's order.
namespace Stratus.XenApi.Schema;

public static partial class XenModel
{
    public static readonly XenClass HostCpu = new("host_cpu", persist: true, events: true, inDatabase: true,
    [
        new("uuid", XenType.String, Qualifier.DynamicRO),
        new("host", XenType.RefTo("host"), Qualifier.DynamicRO),
        new("number", XenType.Int, Qualifier.DynamicRO),
        new("vendor", XenType.String, Qualifier.DynamicRO),
        new("speed", XenType.Int, Qualifier.DynamicRO),
        new("modelname", XenType.String, Qualifier.DynamicRO),
        new("family", XenType.Int, Qualifier.DynamicRO),
        new("model", XenType.Int, Qualifier.DynamicRO),
        new("stepping", XenType.String, Qualifier.DynamicRO),
        new("flags", XenType.String, Qualifier.DynamicRO),
        new("features", XenType.String, Qualifier.DynamicRO),
        new("utilisation", XenType.Float, Qualifier.DynamicRO),
        new("other_config", XenType.MapOf(XenType.String, XenType.String), Qualifier.RW, hasDefault: true),
    ]);
}
