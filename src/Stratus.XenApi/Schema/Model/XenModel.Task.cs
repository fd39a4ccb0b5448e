// Transcribed from the published XenAPI datamodel (xapi-project/xen-api, doc/data/xenapi.json at e2ee48d):
// names, types, qualifiers and defaults only. Edit by hand to add a field; keep the datamodel's order.
namespace Stratus.XenApi.Schema;

public static partial class XenModel
{
    public static readonly XenClass Task = new("task", persist: false, events: true, inDatabase: true,
    [
        new("uuid", XenType.String, Qualifier.DynamicRO),
        new("name_label", XenType.String, Qualifier.DynamicRO, defaultValue: "", hasDefault: true),
        new("name_description", XenType.String, Qualifier.DynamicRO, defaultValue: "", hasDefault: true),
        new("allowed_operations", XenType.SetOf(XenType.EnumOf(XenEnums.TaskAllowedOperations)), Qualifier.DynamicRO, hasDefault: true),
        new("current_operations", XenType.MapOf(XenType.String, XenType.EnumOf(XenEnums.TaskAllowedOperations)), Qualifier.DynamicRO, hasDefault: true),
        new("created", XenType.DateTime, Qualifier.DynamicRO),
        new("finished", XenType.DateTime, Qualifier.DynamicRO),
        new("status", XenType.EnumOf(XenEnums.TaskStatusType), Qualifier.DynamicRO),
        new("resident_on", XenType.RefTo("host"), Qualifier.DynamicRO),
        new("progress", XenType.Float, Qualifier.DynamicRO),
        new("type", XenType.String, Qualifier.DynamicRO),
        new("result", XenType.String, Qualifier.DynamicRO),
        new("error_info", XenType.SetOf(XenType.String), Qualifier.DynamicRO),
        new("other_config", XenType.MapOf(XenType.String, XenType.String), Qualifier.RW, hasDefault: true),
        new("subtask_of", XenType.RefTo("task"), Qualifier.DynamicRO, defaultValue: XenRef.Null, hasDefault: true),
        new("subtasks", XenType.SetOf(XenType.RefTo("task")), Qualifier.DynamicRO),
        new("backtrace", XenType.String, Qualifier.DynamicRO, defaultValue: "()", hasDefault: true),
    ]);
}
