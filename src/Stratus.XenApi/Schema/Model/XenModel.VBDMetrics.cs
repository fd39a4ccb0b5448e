// Transcribed from the published XenAPI datamodel (xapi-project/xen-api, doc/data/xenapi.json at e2ee48d):
// names, types, qualifiers and defaults only. Edit by hand to add a field; keep the datamodel's order.
namespace Stratus.XenApi.Schema;

public static partial class XenModel
{
    public static readonly XenClass VBDMetrics = new("VBD_metrics", persist: false, events: true, inDatabase: true,
    [
        new("uuid", XenType.String, Qualifier.DynamicRO),
    ]);
}
