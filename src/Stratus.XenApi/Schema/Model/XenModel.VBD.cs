// Transcribed from the published XenAPI datamodel (xapi-project/xen-api, doc/data/xenapi.json at e2ee48d):
// names, types, qualifiers and defaults only. Edit by hand to add a field; keep the datamodel's order.
namespace Stratus.XenApi.Schema;

public static partial class XenModel
{
    public static readonly XenClass VBD = new("VBD", persist: true, events: true, inDatabase: true,
    [
        new("uuid", XenType.String, Qualifier.DynamicRO),
        new("allowed_operations", XenType.SetOf(XenType.EnumOf(XenEnums.VbdOperations)), Qualifier.DynamicRO, hasDefault: true),
        new("current_operations", XenType.MapOf(XenType.String, XenType.EnumOf(XenEnums.VbdOperations)), Qualifier.DynamicRO, hasDefault: true),
        new("VM", XenType.RefTo("VM"), Qualifier.StaticRO),
        new("VDI", XenType.RefTo("VDI"), Qualifier.StaticRO),
        new("device", XenType.String, Qualifier.StaticRO, defaultValue: "", hasDefault: true),
        new("userdevice", XenType.String, Qualifier.RW),
        new("bootable", XenType.Bool, Qualifier.RW),
        new("mode", XenType.EnumOf(XenEnums.VbdMode), Qualifier.StaticRO),
        new("type", XenType.EnumOf(XenEnums.VbdType), Qualifier.RW),
        new("unpluggable", XenType.Bool, Qualifier.RW, defaultValue: true, hasDefault: true),
        new("storage_lock", XenType.Bool, Qualifier.DynamicRO),
        new("empty", XenType.Bool, Qualifier.StaticRO),
        new("other_config", XenType.MapOf(XenType.String, XenType.String), Qualifier.RW),
        new("currently_attached", XenType.Bool, Qualifier.StaticRO, defaultValue: false, hasDefault: true),
        new("status_code", XenType.Int, Qualifier.DynamicRO),
        new("status_detail", XenType.String, Qualifier.DynamicRO),
        new("runtime_properties", XenType.MapOf(XenType.String, XenType.String), Qualifier.DynamicRO),
        new("qos_algorithm_type", XenType.String, Qualifier.RW),
        new("qos_algorithm_params", XenType.MapOf(XenType.String, XenType.String), Qualifier.RW),
        new("qos_supported_algorithms", XenType.SetOf(XenType.String), Qualifier.DynamicRO),
    ]);
}
