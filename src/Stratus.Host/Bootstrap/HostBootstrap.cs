using System.Globalization;
using Stratus.Host.Api.Messages.Host;
using Stratus.Host.Api.Messages.Storage;
using Stratus.Host.Api.Messages.Vm;
using Stratus.Host.Backends;
using Stratus.Host.Database;
using Stratus.Host.Storage;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Bootstrap;

/// <summary>
/// Makes the database describe this host, on every start: the pool, the host and its metrics and CPUs, the control
/// domain, the management network and PIF, the SM objects, the roles, a local SR (the pool's default) and the
/// "Other install media" template. Existing objects keep their refs and uuids; facts that can change (RAM, CPUs,
/// backend, accelerator) are refreshed. The API level reported is XenServer 8's (2.21).
/// </summary>
internal sealed partial class HostBootstrap(
    ObjectDatabase db,
    HostIdentity identity,
    HostAgentOptions options,
    IVmBackend backend,
    ISrDrivers drivers,
    SrContexts storage,
    TimeProvider time,
    ILogger<HostBootstrap> logger)
{
    public const string Version = "0.1.0";

    private static readonly string[] Roles = ["pool-admin", "pool-operator", "vm-power-admin", "vm-admin", "vm-operator", "read-only"];

    public async Task RunAsync(HostFacts facts, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        db.Write(tx =>
        {
            var host = tx.All(XenModel.Host).FirstOrDefault();
            var hostRef = host?.Ref ?? CreateHost(tx, facts, now);
            identity.HostRef = hostRef;
            identity.HostUuid = tx.Get(XenModel.Host, hostRef).Uuid;
            RefreshHost(tx, hostRef, facts, now);
            identity.PoolRef = tx.All(XenModel.Pool).FirstOrDefault()?.Ref ?? tx.Create(XenModel.Pool, new Dictionary<string, object?>
            {
                ["master"] = hostRef,
                ["other_config"] = XenValue.EmptyMap,
                ["cpu_info"] = XenValue.Map(("cpu_count", facts.Cpus.ToString(CultureInfo.InvariantCulture)), ("vendor", facts.CpuInfo["vendor"])),
            });
            identity.ControlDomainRef = EnsureControlDomain(tx, hostRef, facts, now);
            EnsureManagementNetwork(tx, hostRef, facts);
            EnsureSmRecords(tx);
            EnsureRoles(tx);
            EnsureTemplates(tx);
            HostCapacity.Refresh(tx, hostRef, now);
        });
        await EnsureLocalSrAsync(cancellationToken);
        LogReady(logger, facts.HostName, backend.Name, backend.Accelerator, facts.Cpus, facts.MemoryBytes >> 20);
    }

    private string CreateHost(DbTransaction tx, HostFacts facts, DateTime now)
    {
        var metrics = tx.Create(XenModel.HostMetrics, new Dictionary<string, object?> { ["live"] = true, ["last_updated"] = now });
        return tx.Create(XenModel.Host, new Dictionary<string, object?>
        {
            ["name_label"] = facts.HostName,
            ["name_description"] = "Default install",
            ["metrics"] = metrics,
            ["enabled"] = true,
            ["other_config"] = XenValue.EmptyMap,
        });
    }

    private void RefreshHost(DbTransaction tx, string hostRef, HostFacts facts, DateTime now)
    {
        var host = tx.Get(XenModel.Host, hostRef);
        tx.Update(XenModel.Host, hostRef,
            ("hostname", facts.HostName),
            ("address", facts.Address),
            ("API_version_major", 2L),
            ("API_version_minor", 21L),
            ("API_version_vendor", "XenSource"),
            ("software_version", XenValue.Map(
                ("product_brand", "Stratus"),
                ("product_version", "8.4.0"),
                ("product_version_text", "8.4"),
                ("product_version_text_short", "8.4"),
                ("platform_name", "Stratus"),
                ("platform_version", "3.4.0"),
                ("build_number", "stratus-" + Version),
                ("xapi", "24.0"),
                ("hostname", facts.HostName),
                ("date", "2026-11-24"),
                ("stratus", Version),
                ("backend", backend.Name),
                ("accelerator", backend.Accelerator))),
            ("capabilities", new object?[] { "hvm-3.0-x86_64", "hvm-3.0-x86_32", "hvm-3.0-x86_32p" }),
            ("cpu_info", facts.CpuInfo),
            ("edition", "stratus"),
            ("sched_policy", "credit"));

        tx.Update(XenModel.HostMetrics, host.String("metrics"), ("memory_total", facts.MemoryBytes), ("live", true), ("last_updated", now));

        // One host_cpu row per CPU.
        var cpus = host.Set("host_CPUs").Select(c => tx.Get(XenModel.HostCpu, (string)c!)).OrderBy(c => c.Int("number")).ToList();
        for (var n = cpus.Count; n < facts.Cpus; n++)
        {
            tx.Create(XenModel.HostCpu, new Dictionary<string, object?>
            {
                ["host"] = hostRef,
                ["number"] = (long)n,
                ["vendor"] = facts.CpuInfo["vendor"],
                ["speed"] = long.TryParse(((string?)facts.CpuInfo["speed"])?.Split('.')[0], CultureInfo.InvariantCulture, out var mhz) ? mhz : 0L,
                ["modelname"] = facts.CpuInfo["modelname"],
                ["flags"] = facts.CpuInfo["flags"],
            });
        }

        foreach (var extra in cpus.Skip(facts.Cpus))
        {
            tx.Delete(XenModel.HostCpu, extra.Ref);
        }
    }

    private string EnsureControlDomain(DbTransaction tx, string hostRef, HostFacts facts, DateTime now)
    {
        var memory = options.ControlDomainMemoryBytes;
        var dom0 = tx.All(XenModel.VM).FirstOrDefault(v => v.Bool("is_control_domain"));
        var dom0Ref = dom0?.Ref ?? tx.Create(XenModel.VM, new Dictionary<string, object?>
        {
            ["name_label"] = $"Control domain on host: {facts.HostName}",
            ["name_description"] = "The host the Stratus agent runs on",
            ["is_control_domain"] = true,
            ["metrics"] = tx.Create(XenModel.VMMetrics, new Dictionary<string, object?>()),
            ["other_config"] = XenValue.Map(("storage_driver_domain", "OpaqueRef:NULL"), ("is_system_domain", "true")),
        });
        var vm = tx.Get(XenModel.VM, dom0Ref);
        tx.Update(XenModel.VM, dom0Ref,
            ("power_state", "Running"),
            ("resident_on", hostRef),
            ("domid", 0L),
            ("memory_static_min", memory),
            ("memory_dynamic_min", memory),
            ("memory_target", memory),
            ("memory_dynamic_max", memory),
            ("memory_static_max", memory),
            ("VCPUs_max", (long)facts.Cpus),
            ("VCPUs_at_startup", (long)facts.Cpus),
            ("allowed_operations", Array.Empty<object?>()));
        tx.Update(XenModel.VMMetrics, vm.String("metrics"), ("memory_actual", memory), ("VCPUs_number", (long)facts.Cpus), ("start_time", now), ("last_updated", now));
        tx.Update(XenModel.Host, hostRef, ("control_domain", dom0Ref));
        return dom0Ref;
    }

    private static void EnsureManagementNetwork(DbTransaction tx, string hostRef, HostFacts facts)
    {
        var pif = tx.All(XenModel.PIF).FirstOrDefault(p => p.Bool("management"));
        if (pif is not null)
        {
            tx.Update(XenModel.PIF, pif.Ref, ("IP", facts.Address), ("MAC", facts.Mac), ("currently_attached", true));
            return;
        }

        var network = tx.Create(XenModel.Network, new Dictionary<string, object?>
        {
            ["name_label"] = "Pool-wide network associated with eth0",
            ["bridge"] = "xenbr0",
            ["MTU"] = 1500L,
            ["other_config"] = XenValue.EmptyMap,
        });
        tx.Create(XenModel.PIF, new Dictionary<string, object?>
        {
            ["device"] = "eth0",
            ["network"] = network,
            ["host"] = hostRef,
            ["MAC"] = facts.Mac,
            ["MTU"] = 1500L,
            ["VLAN"] = -1L,
            ["physical"] = true,
            ["currently_attached"] = true,
            ["management"] = true,
            ["ip_configuration_mode"] = "Static",
            ["IP"] = facts.Address,
            ["netmask"] = "255.255.255.0",
            ["primary_address_type"] = "IPv4",
        });
    }

    private void EnsureSmRecords(DbTransaction tx)
    {
        var existing = tx.All(XenModel.SM).ToDictionary(s => s.String("type"), StringComparer.Ordinal);
        foreach (var driver in drivers.All)
        {
            var configuration = driver.Configuration.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal);
            if (existing.TryGetValue(driver.Type, out var sm))
            {
                tx.Update(XenModel.SM, sm.Ref, ("configuration", configuration));
                continue;
            }

            tx.Create(XenModel.SM, new Dictionary<string, object?>
            {
                ["name_label"] = driver.Type,
                ["name_description"] = $"Stratus {driver.Type} storage manager ({backend.Name} backend)",
                ["type"] = driver.Type,
                ["vendor"] = "Stratus",
                ["copyright"] = "",
                ["version"] = Version,
                ["required_api_version"] = "1.0",
                ["configuration"] = configuration,
                ["capabilities"] = driver.Type == "iso" ? new object?[] { "SR_SCAN" } : new object?[] { "SR_SCAN", "VDI_CREATE", "VDI_DELETE", "VDI_CLONE", "VDI_SNAPSHOT", "VDI_RESIZE" },
            });
        }
    }

    private static void EnsureRoles(DbTransaction tx)
    {
        var existing = tx.All(XenModel.Role).Select(r => r.String("name_label")).ToHashSet(StringComparer.Ordinal);
        foreach (var role in Roles.Where(r => !existing.Contains(r)))
        {
            tx.Create(XenModel.Role, new Dictionary<string, object?> { ["name_label"] = role, ["name_description"] = $"The {role} role", ["is_internal"] = false });
        }
    }

    private static void EnsureTemplates(DbTransaction tx)
    {
        if (tx.All(XenModel.VM).Any(v => v.Bool("is_default_template") && v.String("name_label") == "Other install media"))
        {
            return;
        }

        var template = VmMessages.Create(tx, XenModel.VM.CoerceConstructorRecord(new Dictionary<string, object?>
        {
            ["name_label"] = "Other install media",
            ["name_description"] = "Select this template to install an operating system using a CD/DVD or network boot",
            ["is_a_template"] = true,
            ["memory_static_min"] = 256L << 20,
            ["memory_dynamic_min"] = 1L << 30,
            ["memory_dynamic_max"] = 1L << 30,
            ["memory_static_max"] = 1L << 30,
            ["VCPUs_max"] = 1L,
            ["VCPUs_at_startup"] = 1L,
            ["HVM_boot_policy"] = "BIOS order",
            ["HVM_boot_params"] = XenValue.Map(("order", "dc")),
            ["platform"] = XenValue.Map(("nx", "true"), ("acpi", "1"), ("apic", "true"), ("pae", "true"), ("viridian", "false")),
            ["other_config"] = XenValue.Map(
                ("disks", "<provision><disk device=\"0\" size=\"8589934592\" sr=\"\" bootable=\"true\" type=\"system\"/></provision>"),
                ("install-methods", "cdrom,nfs,http,ftp")),
        }));
        tx.Update(XenModel.VM, template, ("is_default_template", true));
    }

    /// <summary>"Local storage" (ext), the pool's default SR, in the data directory.</summary>
    private async Task EnsureLocalSrAsync(CancellationToken cancellationToken)
    {
        var existing = db.Read(tx => tx.All(XenModel.SR).FirstOrDefault(s => s.Map("other_config").GetValueOrDefault("i18n-key") as string == "local-storage"));
        if (existing is not null)
        {
            var pbd = db.Read(tx => storage.Pbd(tx, existing));
            if (pbd is not null && !pbd.Bool("currently_attached"))
            {
                return;
            }

            var context = db.Read(tx => storage.Plugged(tx, existing));
            var refreshed = await storage.Driver("ext").AttachAsync(context, cancellationToken);
            db.Write(tx => VdiOperations.UpdateSr(tx, existing.Ref, refreshed));
            return;
        }

        var uuid = Guid.NewGuid().ToString("D");
        var deviceConfig = XenValue.Map(("path", Path.Combine(options.DataDirectory, "sr", uuid)));
        var created = new SrContext(uuid, "ext", SrContexts.Strings(deviceConfig), new Dictionary<string, string>(), options.DataDirectory, 0);
        var capacity = await storage.Driver("ext").CreateAsync(created, cancellationToken);
        db.Write(tx =>
        {
            var sr = tx.Create(XenModel.SR, new Dictionary<string, object?>
            {
                ["uuid"] = uuid,
                ["name_label"] = "Local storage",
                ["name_description"] = $"Local storage in {options.DataDirectory}",
                ["type"] = "ext",
                ["content_type"] = "user",
                ["other_config"] = XenValue.Map(("i18n-key", "local-storage"), ("i18n-original-value-name_label", "Local storage")),
                ["physical_size"] = capacity.PhysicalSize,
                ["physical_utilisation"] = capacity.PhysicalUtilisation,
                ["allowed_operations"] = SrMessages.Operations("ext"),
            });
            tx.Create(XenModel.PBD, new Dictionary<string, object?>
            {
                ["host"] = identity.HostRef,
                ["SR"] = sr,
                ["device_config"] = deviceConfig,
                ["currently_attached"] = true,
            });
            tx.Update(XenModel.Pool, identity.PoolRef, ("default_SR", sr), ("suspend_image_SR", sr), ("crash_dump_SR", sr));
            tx.Update(XenModel.Host, identity.HostRef, ("suspend_image_sr", sr), ("crash_dump_sr", sr));
        });
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Host {Host} ready: backend {Backend}, accelerator {Accelerator}, {Cpus} CPUs, {MemoryMiB} MiB")]
    private static partial void LogReady(ILogger logger, string host, string backend, string accelerator, int cpus, long memoryMiB);
}
