// Transcribed from the published XenAPI datamodel (xapi-project/xen-api, doc/data/xenapi.json at e2ee48d):
// names, types, qualifiers and defaults only. Edit by hand to add a field; keep the datamodel's order.
namespace Stratus.XenApi.Schema;

public static partial class XenModel
{
    public static readonly XenClass VDI = new("VDI", persist: true, events: true, inDatabase: true,
    [
        new("uuid", XenType.String, Qualifier.DynamicRO),
        new("name_label", XenType.String, Qualifier.StaticRO, defaultValue: "", hasDefault: true),
        new("name_description", XenType.String, Qualifier.StaticRO, defaultValue: "", hasDefault: true),
        new("allowed_operations", XenType.SetOf(XenType.EnumOf(XenEnums.VdiOperations)), Qualifier.DynamicRO, hasDefault: true),
        new("current_operations", XenType.MapOf(XenType.String, XenType.EnumOf(XenEnums.VdiOperations)), Qualifier.DynamicRO, hasDefault: true),
        new("SR", XenType.RefTo("SR"), Qualifier.StaticRO),
        new("VBDs", XenType.SetOf(XenType.RefTo("VBD")), Qualifier.DynamicRO),
        new("crash_dumps", XenType.SetOf(XenType.RefTo("crashdump")), Qualifier.DynamicRO),
        new("virtual_size", XenType.Int, Qualifier.StaticRO),
        new("physical_utilisation", XenType.Int, Qualifier.DynamicRO),
        new("type", XenType.EnumOf(XenEnums.VdiType), Qualifier.StaticRO),
        new("sharable", XenType.Bool, Qualifier.StaticRO),
        new("read_only", XenType.Bool, Qualifier.StaticRO),
        new("other_config", XenType.MapOf(XenType.String, XenType.String), Qualifier.RW),
        new("storage_lock", XenType.Bool, Qualifier.DynamicRO),
        new("location", XenType.String, Qualifier.DynamicRO, defaultValue: "", hasDefault: true),
        new("managed", XenType.Bool, Qualifier.DynamicRO),
        new("missing", XenType.Bool, Qualifier.DynamicRO),
        new("parent", XenType.RefTo("VDI"), Qualifier.DynamicRO, deprecated: true),
        new("xenstore_data", XenType.MapOf(XenType.String, XenType.String), Qualifier.RW, hasDefault: true),
        new("sm_config", XenType.MapOf(XenType.String, XenType.String), Qualifier.RW, hasDefault: true),
        new("is_a_snapshot", XenType.Bool, Qualifier.DynamicRO, defaultValue: false, hasDefault: true),
        new("snapshot_of", XenType.RefTo("VDI"), Qualifier.DynamicRO, defaultValue: XenRef.Null, hasDefault: true),
        new("snapshots", XenType.SetOf(XenType.RefTo("VDI")), Qualifier.DynamicRO),
        new("snapshot_time", XenType.DateTime, Qualifier.DynamicRO, defaultValue: DateTime.UnixEpoch, hasDefault: true),
        new("tags", XenType.SetOf(XenType.String), Qualifier.RW, hasDefault: true),
        new("allow_caching", XenType.Bool, Qualifier.DynamicRO, defaultValue: false, hasDefault: true),
        new("on_boot", XenType.EnumOf(XenEnums.OnBoot), Qualifier.DynamicRO, defaultValue: "persist", hasDefault: true),
        new("metadata_of_pool", XenType.RefTo("pool"), Qualifier.DynamicRO, defaultValue: XenRef.Null, hasDefault: true),
        new("metadata_latest", XenType.Bool, Qualifier.DynamicRO, defaultValue: false, hasDefault: true),
        new("is_tools_iso", XenType.Bool, Qualifier.DynamicRO, defaultValue: false, hasDefault: true),
        new("cbt_enabled", XenType.Bool, Qualifier.DynamicRO, defaultValue: false, hasDefault: true),
    ]);
}
