// Transcribed from the published XenAPI datamodel (xapi-project/xen-api, doc/data/xenapi.json at e2ee48d):
// names, types, qualifiers and defaults only. Edit by hand to add a field; keep the datamodel's order.
namespace Stratus.XenApi.Schema;

public static partial class XenModel
{
    public static readonly XenClass Network = new("network", persist: true, events: true, inDatabase: true,
    [
        new("uuid", XenType.String, Qualifier.DynamicRO),
        new("name_label", XenType.String, Qualifier.RW, defaultValue: "", hasDefault: true),
        new("name_description", XenType.String, Qualifier.RW, defaultValue: "", hasDefault: true),
        new("allowed_operations", XenType.SetOf(XenType.EnumOf(XenEnums.NetworkOperations)), Qualifier.DynamicRO, hasDefault: true),
        new("current_operations", XenType.MapOf(XenType.String, XenType.EnumOf(XenEnums.NetworkOperations)), Qualifier.DynamicRO, hasDefault: true),
        new("VIFs", XenType.SetOf(XenType.RefTo("VIF")), Qualifier.DynamicRO),
        new("PIFs", XenType.SetOf(XenType.RefTo("PIF")), Qualifier.DynamicRO),
        new("MTU", XenType.Int, Qualifier.RW, defaultValue: 1500L, hasDefault: true),
        new("other_config", XenType.MapOf(XenType.String, XenType.String), Qualifier.RW),
        new("bridge", XenType.String, Qualifier.StaticRO, defaultValue: "", hasDefault: true),
        new("managed", XenType.Bool, Qualifier.StaticRO, defaultValue: true, hasDefault: true),
        new("blobs", XenType.MapOf(XenType.String, XenType.RefTo("blob")), Qualifier.DynamicRO, hasDefault: true),
        new("tags", XenType.SetOf(XenType.String), Qualifier.RW, hasDefault: true),
        new("default_locking_mode", XenType.EnumOf(XenEnums.NetworkDefaultLockingMode), Qualifier.DynamicRO, defaultValue: "unlocked", hasDefault: true),
        new("assigned_ips", XenType.MapOf(XenType.RefTo("VIF"), XenType.String), Qualifier.DynamicRO, hasDefault: true),
        new("purpose", XenType.SetOf(XenType.EnumOf(XenEnums.NetworkPurpose)), Qualifier.DynamicRO, hasDefault: true),
    ]);
}
