using System.Globalization;
using System.Text.Json;
using Stratus.Cloud.Compute.Services;
using Stratus.XenApi;

namespace Stratus.Cloud.Conductor.Hosts;

/// <summary>
/// What the controller knows of one XenAPI pool, kept current by <c>event.from</c>: its pool, hosts, host metrics,
/// SRs and PBDs, and the power state of the VMs the cloud owns. From it come the hypervisor facts (os-hypervisors,
/// the scheduler) and the choice of SR for a build. Not thread-safe: <see cref="HostLink"/> guards it.
/// </summary>
internal sealed class HostSnapshot
{
    /// <summary>The classes the heartbeat subscribes to (event.from class names are lowercase).</summary>
    public static readonly IReadOnlyList<object?> Classes = ["pool", "host", "host_metrics", "sr", "pbd", "vm"];

    private readonly Dictionary<string, Dictionary<string, IReadOnlyDictionary<string, object?>>> _tables = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Clears everything (a fresh <c>event.from</c> with token "" re-adds every object).</summary>
    public void Reset() => _tables.Clear();

    /// <summary>Applies one event (<c>{class, operation, ref, snapshot}</c>); returns the class when it changed something.</summary>
    public string? Apply(IReadOnlyDictionary<string, object?> change)
    {
        var cls = change.String("class").ToLowerInvariant();
        var reference = change.String("ref");
        var operation = change.String("operation");
        if (!_tables.TryGetValue(cls, out var table))
        {
            table = new Dictionary<string, IReadOnlyDictionary<string, object?>>(StringComparer.Ordinal);
            _tables[cls] = table;
        }

        if (operation == "del")
        {
            return table.Remove(reference) ? cls : null;
        }

        if (cls == "vm")
        {
            // Only the cloud's own VMs matter here (power state sync); templates and dom0 are skipped.
            var snapshot = XenRecord.AsRecord(change.GetValueOrDefault("snapshot"));
            if (snapshot.MapValue("other_config", "nova_uuid") is null)
            {
                return null;
            }

            table[reference] = snapshot;
            return cls;
        }

        table[reference] = XenRecord.AsRecord(change.GetValueOrDefault("snapshot"));
        return cls;
    }

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> Table(string cls) =>
        _tables.TryGetValue(cls, out var table) ? table : new Dictionary<string, IReadOnlyDictionary<string, object?>>();

    public bool HasPool => Table("pool").Count > 0 && Table("host").Count > 0;

    public string MasterRef => Table("pool").Values.FirstOrDefault()?.String("master") ?? XenRef.Null;

    public string DefaultSrRef => Table("pool").Values.FirstOrDefault()?.String("default_SR") ?? XenRef.Null;

    public IReadOnlyDictionary<string, object?>? Master => Table("host").GetValueOrDefault(MasterRef);

    /// <summary>The host names of the pool, master first.</summary>
    public IReadOnlyList<string> HostNames =>
        [.. Table("host").OrderBy(h => h.Key == MasterRef ? 0 : 1).ThenBy(h => h.Value.String("name_label"), StringComparer.Ordinal).Select(h => h.Value.String("name_label"))];

    /// <summary>SRs a build can put disks on: plugged on a pool host, not ISO or removable media.</summary>
    public IReadOnlyList<(string Ref, IReadOnlyDictionary<string, object?> Record)> UsableSrs()
    {
        var hosts = Table("host");
        var plugged = Table("pbd").Values
            .Where(p => p.Bool("currently_attached") && hosts.ContainsKey(p.String("host")))
            .Select(p => p.String("SR"))
            .ToHashSet(StringComparer.Ordinal);
        return [.. Table("sr")
            .Where(s => plugged.Contains(s.Key) && s.Value.String("content_type") != "iso" && s.Value.String("type") is not ("iso" or "udev"))
            .Select(s => (s.Key, s.Value))];
    }

    /// <summary>
    /// The SR for a build's disks: the pool's default SR, or the one of the required type with the most free space
    /// (any type, lvm included: disks arrive through /import_raw_vdi, never through file paths).
    /// </summary>
    public (string Ref, IReadOnlyDictionary<string, object?> Record)? ChooseSr(string? requiredType)
    {
        var usable = UsableSrs();
        var defaultRef = DefaultSrRef;
        if (requiredType is null && usable.FirstOrDefault(s => s.Ref == defaultRef) is { Record: not null } preferred)
        {
            return preferred;
        }

        var candidates = usable.Where(s => requiredType is null || string.Equals(s.Record.String("type"), requiredType, StringComparison.OrdinalIgnoreCase));
        return candidates.OrderByDescending(s => s.Record.Long("physical_size") - s.Record.Long("physical_utilisation")).Select(s => ((string, IReadOnlyDictionary<string, object?>)?)s).FirstOrDefault();
    }

    /// <summary>The host to start a VM on: the only host of a single-host pool; in a bigger pool, null (VM.start lets the pool choose).</summary>
    public string? StartHostRef => Table("host").Count == 1 ? Table("host").Keys.First() : null;

    /// <summary>The pool's facts in nova's terms (nova/virt/xenapi/host.py): summed over the pool's hosts, disk from the default SR.</summary>
    public HypervisorFacts? Facts(DateTime firstSeen)
    {
        if (!HasPool || Master is not { } master)
        {
            return null;
        }

        var hosts = Table("host").Values.ToList();
        var metrics = Table("host_metrics");
        long memory = 0, free = 0;
        var vcpus = 0;
        foreach (var host in hosts)
        {
            if (metrics.TryGetValue(host.String("metrics"), out var m))
            {
                memory += m.Long("memory_total");
                free += m.Long("memory_free");
            }

            var cpus = host.Refs("host_CPUs").Count;
            vcpus += cpus > 0 ? cpus : (int)XenRecord.ToLong(host.MapValue("cpu_info", "cpu_count"));
        }

        var srs = UsableSrs().Select(s => new StorageFacts(
            s.Record.String("uuid"), s.Record.String("name_label"), s.Record.String("type"),
            s.Record.Long("physical_size"), s.Record.Long("physical_utilisation"), s.Record.Bool("shared"))).ToList();
        var defaultSr = Table("sr").GetValueOrDefault(DefaultSrRef);
        var disk = defaultSr is not null && srs.Any(s => s.Uuid == defaultSr.String("uuid"))
            ? srs.First(s => s.Uuid == defaultSr.String("uuid"))
            : srs.OrderByDescending(s => s.PhysicalSize).FirstOrDefault();
        var software = master.Map("software_version");
        var version = software.GetValueOrDefault("product_version") ?? software.GetValueOrDefault("platform_version");
        var bootTime = double.TryParse(master.MapValue("other_config", "boot_time"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? DateTime.UnixEpoch.AddSeconds(seconds)
            : firstSeen;
        return new HypervisorFacts(
            HypervisorHostname: master.String("hostname") is { Length: > 0 } hostname ? hostname : master.String("name_label"),
            HypervisorType: "XenServer",
            HypervisorVersion: VersionNumber(XenValue.ToDbString(version)),
            HostIp: master.String("address"),
            XenHostUuid: master.String("uuid"),
            Vcpus: vcpus,
            MemoryMb: memory >> 20,
            FreeMemoryMb: free >> 20,
            LocalGb: (disk?.PhysicalSize ?? 0) >> 30,
            FreeDiskGb: disk is null ? 0 : (disk.PhysicalSize - disk.PhysicalUtilisation) >> 30,
            CpuInfoJson: CpuInfo(master, vcpus),
            StorageRepositories: srs,
            DefaultSrUuid: defaultSr?.String("uuid"),
            BootTime: bootTime);
    }

    /// <summary>What image properties can ask of this pool (ImagePropertiesFilter): architectures from host.capabilities.</summary>
    public IReadOnlyDictionary<string, string> Capabilities()
    {
        var capabilities = Master?.Refs("capabilities") ?? [];
        var architectures = capabilities.Select(c => c.Split('-')).Where(p => p.Length >= 3).Select(p => p[2] == "x86_32p" ? "i686" : p[2] == "x86_32" ? "i686" : p[2]).Distinct().ToList();
        var modes = capabilities.Select(c => c.Split('-')[0]).Select(m => m == "xen" ? "xen" : "hvm").Distinct().ToList();
        return new Dictionary<string, string>
        {
            ["hypervisor_type"] = "xen",
            ["architecture"] = string.Join(",", architectures.Count > 0 ? architectures : ["x86_64"]),
            ["vm_mode"] = string.Join(",", modes.Count > 0 ? modes : ["hvm"]),
        };
    }

    /// <summary>nova's utils.convert_version_to_int: "8.4.0" → 8004000.</summary>
    public static long VersionNumber(string version)
    {
        long result = 0;
        foreach (var part in version.Split('.').Take(3))
        {
            result = (result * 1000) + (long.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0);
        }

        for (var i = version.Split('.').Length; i < 3; i++)
        {
            result *= 1000;
        }

        return result;
    }

    /// <summary>nova's cpu_info JSON (contract §4.10) from host.cpu_info.</summary>
    private static string CpuInfo(IReadOnlyDictionary<string, object?> host, int vcpus)
    {
        var info = host.Map("cpu_info");
        string Get(string key) => info.TryGetValue(key, out var v) ? XenValue.ToDbString(v) : "";
        var sockets = Math.Max(1, (int)XenRecord.ToLong(Get("socket_count")));
        var features = Get("flags").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["arch"] = "x86_64",
            ["model"] = Get("modelname"),
            ["vendor"] = Get("vendor"),
            ["topology"] = new Dictionary<string, int> { ["sockets"] = sockets, ["cores"] = Math.Max(1, vcpus / sockets), ["threads"] = 1 },
            ["features"] = features,
        });
    }
}
