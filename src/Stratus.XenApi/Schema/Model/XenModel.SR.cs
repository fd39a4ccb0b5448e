// Transcribed from the published XenAPI datamodel (xapi-project/xen-api, doc/data/xenapi.json at e2ee48d):
// names, types, qualifiers and defaults only. Edit by hand to add a field; keep the datamodel's order.
namespace Stratus.XenApi.Schema;

public static partial class XenModel
{
    public static readonly XenClass SR = new("SR", persist: true, events: true, inDatabase: true,
    [
        new("uuid", XenType.String, Qualifier.DynamicRO),
        new("name_label", XenType.String, Qualifier.StaticRO, defaultValue: "", hasDefault: true),
        new("name_description", XenType.String, Qualifier.StaticRO, defaultValue: "", hasDefault: true),
        new("allowed_operations", XenType.SetOf(XenType.EnumOf(XenEnums.StorageOperations)), Qualifier.DynamicRO, hasDefault: true),
        new("current_operations", XenType.MapOf(XenType.String, XenType.EnumOf(XenEnums.StorageOperations)), Qualifier.DynamicRO, hasDefault: true),
        new("VDIs", XenType.SetOf(XenType.RefTo("VDI")), Qualifier.DynamicRO),
        new("PBDs", XenType.SetOf(XenType.RefTo("PBD")), Qualifier.DynamicRO),
        new("virtual_allocation", XenType.Int, Qualifier.DynamicRO),
        new("physical_utilisation", XenType.Int, Qualifier.DynamicRO),
        new("physical_size", XenType.Int, Qualifier.StaticRO),
        new("type", XenType.String, Qualifier.StaticRO),
        new("content_type", XenType.String, Qualifier.StaticRO),
        new("shared", XenType.Bool, Qualifier.DynamicRO),
        new("other_config", XenType.MapOf(XenType.String, XenType.String), Qualifier.RW),
        new("tags", XenType.SetOf(XenType.String), Qualifier.RW, hasDefault: true),
        new("sm_config", XenType.MapOf(XenType.String, XenType.String), Qualifier.RW, hasDefault: true),
        new("blobs", XenType.MapOf(XenType.String, XenType.RefTo("blob")), Qualifier.DynamicRO, hasDefault: true),
        new("local_cache_enabled", XenType.Bool, Qualifier.DynamicRO, defaultValue: false, hasDefault: true),
        new("introduced_by", XenType.RefTo("DR_task"), Qualifier.DynamicRO, defaultValue: XenRef.Null, hasDefault: true),
        new("clustered", XenType.Bool, Qualifier.DynamicRO, defaultValue: false, hasDefault: true),
        new("is_tools_sr", XenType.Bool, Qualifier.DynamicRO, defaultValue: false, hasDefault: true),
    ]);
}
