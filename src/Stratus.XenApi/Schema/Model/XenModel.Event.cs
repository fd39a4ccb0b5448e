// Transcribed from the published XenAPI datamodel (xapi-project/xen-api, doc/data/xenapi.json at e2ee48d):
// names, types, qualifiers and defaults only. Edit by hand to add a field; keep the datamodel's order.
namespace Stratus.XenApi.Schema;

public static partial class XenModel
{
    public static readonly XenClass Event = new("event", persist: false, events: false, inDatabase: false,
    [
        new("snapshot", XenType.RecordOf("<class>"), Qualifier.DynamicRO),
        new("id", XenType.Int, Qualifier.StaticRO),
        new("timestamp", XenType.DateTime, Qualifier.StaticRO, deprecated: true),
        new("class", XenType.String, Qualifier.StaticRO),
        new("operation", XenType.EnumOf(XenEnums.EventOperation), Qualifier.StaticRO),
        new("ref", XenType.String, Qualifier.StaticRO),
        new("obj_uuid", XenType.String, Qualifier.StaticRO, deprecated: true),
    ]);
}
