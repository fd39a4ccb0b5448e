// Transcribed from the published XenAPI datamodel (xapi-project/xen-api, doc/data/xenapi.json at e2ee48d):
// names, types, qualifiers and defaults only. Edit by hand to add a field; keep the datamodel's order.
namespace Stratus.XenApi.Schema;

public static partial class XenModel
{
    public static readonly XenClass VMMetrics = new("VM_metrics", persist: true, events: true, inDatabase: true,
    [
        new("uuid", XenType.String, Qualifier.DynamicRO),
        new("memory_actual", XenType.Int, Qualifier.DynamicRO),
        new("VCPUs_number", XenType.Int, Qualifier.DynamicRO),
        new("VCPUs_CPU", XenType.MapOf(XenType.Int, XenType.Int), Qualifier.DynamicRO),
        new("VCPUs_params", XenType.MapOf(XenType.String, XenType.String), Qualifier.DynamicRO),
        new("VCPUs_flags", XenType.MapOf(XenType.Int, XenType.SetOf(XenType.String)), Qualifier.DynamicRO),
        new("state", XenType.SetOf(XenType.String), Qualifier.DynamicRO),
        new("start_time", XenType.DateTime, Qualifier.DynamicRO),
        new("install_time", XenType.DateTime, Qualifier.DynamicRO),
        new("last_updated", XenType.DateTime, Qualifier.DynamicRO),
        new("other_config", XenType.MapOf(XenType.String, XenType.String), Qualifier.RW, hasDefault: true),
        new("hvm", XenType.Bool, Qualifier.DynamicRO, defaultValue: false, hasDefault: true),
        new("nested_virt", XenType.Bool, Qualifier.DynamicRO, defaultValue: false, hasDefault: true),
        new("nomigrate", XenType.Bool, Qualifier.DynamicRO, defaultValue: false, hasDefault: true),
        new("current_domain_type", XenType.EnumOf(XenEnums.DomainType), Qualifier.DynamicRO, defaultValue: "unspecified", hasDefault: true),
    ]);
}
