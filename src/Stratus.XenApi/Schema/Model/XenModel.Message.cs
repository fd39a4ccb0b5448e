// Transcribed from the published XenAPI datamodel (xapi-project/xen-api, doc/data/xenapi.json at e2ee48d):
// names, types, qualifiers and defaults only. Edit by hand to add a field; keep the datamodel's order.
namespace Stratus.XenApi.Schema;

public static partial class XenModel
{
    public static readonly XenClass Message = new("message", persist: true, events: true, inDatabase: true,
    [
        new("uuid", XenType.String, Qualifier.DynamicRO),
        new("name", XenType.String, Qualifier.DynamicRO),
        new("priority", XenType.Int, Qualifier.DynamicRO),
        new("cls", XenType.EnumOf(XenEnums.Cls), Qualifier.DynamicRO),
        new("obj_uuid", XenType.String, Qualifier.DynamicRO),
        new("timestamp", XenType.DateTime, Qualifier.DynamicRO),
        new("body", XenType.String, Qualifier.DynamicRO),
    ]);
}
