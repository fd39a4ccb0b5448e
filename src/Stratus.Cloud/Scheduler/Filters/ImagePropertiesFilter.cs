namespace Stratus.Cloud.Scheduler.Filters;

/// <summary>
/// nova's ImagePropertiesFilter: an image that names an architecture (hw_architecture, or the older architecture),
/// a hypervisor_type or a vm_mode runs only on hosts that offer it.
/// </summary>
internal sealed class ImagePropertiesFilter : IHostFilter
{
    private static readonly (string Property, string Capability)[] Checks =
    [
        ("hw_architecture", "architecture"),
        ("architecture", "architecture"),
        ("img_hv_type", "hypervisor_type"),
        ("hypervisor_type", "hypervisor_type"),
        ("vm_mode", "vm_mode"),
    ];

    public string Name => "ImagePropertiesFilter";

    public HostVerdict Check(HostState host, RequestSpec request)
    {
        foreach (var (property, capability) in Checks)
        {
            if (request.ImageProperties.TryGetValue(property, out var wanted) && wanted.Length > 0
                && host.Capabilities.TryGetValue(capability, out var offered)
                && !offered.Split(',').Any(o => string.Equals(o.Trim(), wanted, StringComparison.OrdinalIgnoreCase)))
            {
                return HostVerdict.Reject(Name, RejectionKind.ImageProperty, detail: $"{property}={wanted}, host offers {capability}={offered}");
            }
        }

        return HostVerdict.Pass(Name);
    }
}
