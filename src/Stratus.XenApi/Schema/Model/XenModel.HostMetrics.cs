// Transcribed from the published XenAPI datamodel (xapi-project/xen-api, doc/data/xenapi.json at e2ee48d):
// names, types, qualifiers and defaults only. Edit by hand to add a field; keep the datamodel's order.
namespace Stratus.XenApi.Schema;

public static partial class XenModel
{
    public static readonly XenClass HostMetrics = new("host_metrics", persist: true, events: true, inDatabase: true,
    [
        new("uuid", XenType.String, Qualifier.DynamicRO),
        new("memory_total", XenType.Int, Qualifier.DynamicRO),
        // Marked removed in the datamodel, yet xapi still fills it and xe's host-list reads it (records.ml "memory-free").
        new("memory_free", XenType.Int, Qualifier.DynamicRO, deprecated: true),
        new("live", XenType.Bool, Qualifier.DynamicRO),
        new("last_updated", XenType.DateTime, Qualifier.DynamicRO),
        new("other_config", XenType.MapOf(XenType.String, XenType.String), Qualifier.RW, hasDefault: true),
    ]);
}
