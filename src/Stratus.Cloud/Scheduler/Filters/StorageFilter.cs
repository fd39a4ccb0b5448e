using System.Globalization;

namespace Stratus.Cloud.Scheduler.Filters;

/// <summary>
/// SR capability: the host has an SR that can take the server's disks: enough free space for the image and the
/// root disk, and the type the flavor or image insists on (stratus:sr_type / stratus_sr_type), if any. Every SR
/// type qualifies by default — lvm included, since disks reach SRs through the XenAPI's own import, not file paths.
/// </summary>
internal sealed class StorageFilter : IHostFilter
{
    public string Name => "StorageFilter";

    public HostVerdict Check(HostState host, RequestSpec request)
    {
        if (host.StorageRepositories.Count == 0)
        {
            return HostVerdict.Reject(Name, RejectionKind.Storage, detail: "the host has no plugged, writable SR");
        }

        var required = request.RequiredSrType;
        var candidates = required is null
            ? host.StorageRepositories
            : host.StorageRepositories.Where(sr => string.Equals(sr.Type, required, StringComparison.OrdinalIgnoreCase)).ToList();
        if (candidates.Count == 0)
        {
            return HostVerdict.Reject(Name, RejectionKind.Storage,
                detail: $"no SR of type {required} (the host has {string.Join(", ", host.StorageRepositories.Select(s => s.Type).Distinct())})");
        }

        var needed = Math.Max(request.ImageSizeBytes, request.DiskGb << 30);
        var best = candidates.Max(sr => sr.PhysicalSize - sr.PhysicalUtilisation);
        return best >= needed
            ? HostVerdict.Pass(Name)
            : HostVerdict.Reject(Name, RejectionKind.Storage, best >> 30, needed >> 30,
                string.Create(CultureInfo.InvariantCulture, $"the largest free space on a usable SR is {best >> 20} MB, the disk needs {needed >> 20} MB"));
    }
}
