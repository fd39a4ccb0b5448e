// Transcribed from the published XenAPI datamodel (xapi-project/xen-api, doc/data/xenapi.json at e2ee48d):
// names, types, qualifiers and defaults only. Edit by hand to add a field; keep the datamodel's order.
namespace Stratus.XenApi.Schema;

public static partial class XenModel
{
    public static readonly XenClass Session = new("session", persist: false, events: false, inDatabase: true,
    [
        new("uuid", XenType.String, Qualifier.DynamicRO),
        new("this_host", XenType.RefTo("host"), Qualifier.DynamicRO),
        new("this_user", XenType.RefTo("user"), Qualifier.DynamicRO),
        new("last_active", XenType.DateTime, Qualifier.DynamicRO),
        new("pool", XenType.Bool, Qualifier.DynamicRO),
        new("other_config", XenType.MapOf(XenType.String, XenType.String), Qualifier.RW, hasDefault: true),
        new("is_local_superuser", XenType.Bool, Qualifier.DynamicRO, defaultValue: false, hasDefault: true),
        new("subject", XenType.RefTo("subject"), Qualifier.DynamicRO, defaultValue: XenRef.Null, hasDefault: true),
        new("validation_time", XenType.DateTime, Qualifier.DynamicRO, defaultValue: DateTime.UnixEpoch, hasDefault: true),
        new("auth_user_sid", XenType.String, Qualifier.DynamicRO, defaultValue: "", hasDefault: true),
        new("auth_user_name", XenType.String, Qualifier.DynamicRO, defaultValue: "", hasDefault: true),
        new("rbac_permissions", XenType.SetOf(XenType.String), Qualifier.StaticRO, hasDefault: true),
        new("tasks", XenType.SetOf(XenType.RefTo("task")), Qualifier.DynamicRO),
        new("parent", XenType.RefTo("session"), Qualifier.StaticRO, defaultValue: XenRef.Null, hasDefault: true),
        new("originator", XenType.String, Qualifier.DynamicRO, defaultValue: "", hasDefault: true),
        new("client_certificate", XenType.Bool, Qualifier.DynamicRO, defaultValue: false, hasDefault: true),
    ]);
}
