using System.Globalization;
using Stratus.XenApi.Schema;

namespace Stratus.Cli.Tests.Fakes;

/// <summary>
/// One small host as a XenAPI server would describe it: a pool, a host, its control domain, two VMs and a template,
/// three SRs (local ext, NFS, ISO without PBD), disks, networks. Every record carries every field of Stratus's schema,
/// with the values XML-RPC delivers (ints as decimal strings). The uuids are fixed so the golden files can name them.
/// </summary>
internal static class XeWorld
{
    public const string HostRef = "OpaqueRef:host-1";
    public const string HostUuid = "b6f3c5e2-8e61-4f0a-9a53-2f1f0c6b1a01";
    public const string HostMetricsRef = "OpaqueRef:host-metrics-1";
    public const string PoolRef = "OpaqueRef:pool-1";
    public const string PoolUuid = "5c2e7a10-3b4d-4c8e-9f21-6a7b8c9d0e02";

    public const string Dom0Ref = "OpaqueRef:vm-dom0";
    public const string Dom0Uuid = "0a7f1b2c-3d4e-4f50-8a6b-7c8d9e0f1a10";
    public const string Web1Ref = "OpaqueRef:vm-web1";
    public const string Web1Uuid = "3f9a0c8e-51d2-4b6e-9e1c-2a7b5d0c9e44";
    public const string Web1MetricsRef = "OpaqueRef:vm-metrics-web1";
    public const string Web1MetricsUuid = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d";
    public const string Db1Ref = "OpaqueRef:vm-db1";
    public const string Db1Uuid = "8c21d7aa-0f3b-4d7e-b2a9-61e5c3f0d812";
    public const string TemplateRef = "OpaqueRef:vm-template";
    public const string TemplateUuid = "1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a60";

    public const string LocalSrRef = "OpaqueRef:sr-local";
    public const string LocalSrUuid = "d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6";
    public const string NfsSrRef = "OpaqueRef:sr-nfs";
    public const string NfsSrUuid = "6891a31e-48c3-ab73-6d90-85981a03577d";
    public const string IsoSrRef = "OpaqueRef:sr-iso";
    public const string IsoSrUuid = "f0e1d2c3-b4a5-4968-8776-5a4b3c2d1e0f";
    public const string LocalPbdRef = "OpaqueRef:pbd-local";
    public const string LocalPbdUuid = "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901";
    public const string NfsPbdRef = "OpaqueRef:pbd-nfs";
    public const string NfsPbdUuid = "3c4d5e6f-7081-4293-a4b5-c6d7e8f90a12";

    public const string Web1VdiRef = "OpaqueRef:vdi-web1";
    public const string Web1VdiUuid = "4d5e6f70-8192-43a4-b5c6-d7e8f90a1b23";
    public const string Db1VdiRef = "OpaqueRef:vdi-db1";
    public const string Db1VdiUuid = "5e6f7081-92a3-44b5-86c7-e8f90a1b2c34";
    public const string Web1VbdRef = "OpaqueRef:vbd-web1";
    public const string Web1VbdUuid = "6f708192-a3b4-45c6-97d8-f90a1b2c3d45";

    public const string Net0Ref = "OpaqueRef:network-0";
    public const string Net0Uuid = "70819203-b4c5-46d7-a8e9-0a1b2c3d4e56";
    public const string Net1Ref = "OpaqueRef:network-1";
    public const string Net1Uuid = "81920314-c5d6-47e8-b9fa-1b2c3d4e5f67";
    public const string Web1VifRef = "OpaqueRef:vif-web1";
    public const string Web1VifUuid = "92031425-d6e7-48f9-8a0b-2c3d4e5f6078";
    public const string Pif0Ref = "OpaqueRef:pif-0";
    public const string Pif0Uuid = "a3142536-e7f8-490a-9b1c-3d4e5f607189";
    public const string Web1ConsoleRef = "OpaqueRef:console-web1";
    public const string Web1ConsoleUuid = "b4253647-f809-4a1b-8c2d-4e5f6071829a";

    public static readonly DateTime Started = new(2025, 1, 31, 13, 45, 7, DateTimeKind.Utc);

    public static FakeXenApi Build()
    {
        var api = new FakeXenApi();
        api.Add("pool", PoolRef, Record(XenModel.Pool,
            ("uuid", PoolUuid), ("master", HostRef), ("default_SR", NfsSrRef), ("cpu_info", Map(("cpu_count", "4"), ("vendor", "GenuineIntel")))));
        api.Add("host", HostRef, Record(XenModel.Host,
            ("uuid", HostUuid), ("name_label", "kvm-01"), ("name_description", "Default install"), ("enabled", true),
            ("API_version_major", 2L), ("API_version_minor", 21L), ("API_version_vendor", "Stratus"),
            ("software_version", Map(("product_version", "8.4.0"), ("product_brand", "Stratus"))),
            ("capabilities", Set("hvm-3.0-x86_64")), ("hostname", "kvm-01"), ("address", "10.0.0.2"), ("metrics", HostMetricsRef),
            ("resident_VMs", Set(Dom0Ref, Web1Ref)), ("PBDs", Set(LocalPbdRef, NfsPbdRef)), ("PIFs", Set(Pif0Ref)), ("control_domain", Dom0Ref),
            ("display", "enabled"), ("edition", "free")));
        api.Add("host_metrics", HostMetricsRef, Record(XenModel.HostMetrics,
            ("uuid", "c5364758-091a-4b2c-9d3e-5f6071829aab"), ("memory_total", 25769803776L), ("live", true)));

        api.Add("VM", Dom0Ref, Record(XenModel.VM,
            ("uuid", Dom0Uuid), ("name_label", "Control domain on host: kvm-01"), ("power_state", "Running"), ("is_control_domain", true),
            ("resident_on", HostRef), ("domid", 0L), ("memory_static_min", 1073741824L), ("memory_dynamic_min", 1073741824L),
            ("memory_dynamic_max", 1073741824L), ("memory_static_max", 1073741824L), ("VCPUs_max", 2L), ("VCPUs_at_startup", 2L)));
        api.Add("VM", Web1Ref, Record(XenModel.VM,
            ("uuid", Web1Uuid), ("name_label", "web1"), ("name_description", "web server"), ("power_state", "Running"),
            ("allowed_operations", Set("clean_shutdown", "hard_shutdown", "clean_reboot", "hard_reboot", "pause")),
            ("resident_on", HostRef), ("domid", 3L),
            ("memory_static_min", 536870912L), ("memory_dynamic_min", 2147483648L), ("memory_dynamic_max", 2147483648L), ("memory_static_max", 2147483648L),
            ("memory_target", 2147483648L), ("VCPUs_max", 2L), ("VCPUs_at_startup", 2L),
            ("actions_after_shutdown", "destroy"), ("actions_after_reboot", "restart"), ("actions_after_crash", "restart"),
            ("consoles", Set(Web1ConsoleRef)), ("VIFs", Set(Web1VifRef)), ("VBDs", Set(Web1VbdRef)),
            ("HVM_boot_policy", "BIOS order"), ("HVM_boot_params", Map(("order", "dc"))), ("platform", Map(("acpi", "1"), ("apic", "true"))),
            ("other_config", Map(("base_template_name", "Debian Bookworm 12"), ("mac_seed", "0d9a2c1e"))),
            ("metrics", Web1MetricsRef), ("tags", Set("web", "prod")), ("domain_type", "hvm")));
        api.Add("VM_metrics", Web1MetricsRef, Record(XenModel.VMMetrics,
            ("uuid", Web1MetricsUuid), ("memory_actual", 2147483648L), ("VCPUs_number", 2L), ("start_time", Started),
            ("install_time", Started.AddDays(-1)), ("last_updated", Started), ("hvm", true), ("current_domain_type", "hvm")));
        api.Add("VM", Db1Ref, Record(XenModel.VM,
            ("uuid", Db1Uuid), ("name_label", "db, primary"), ("power_state", "Halted"), ("domid", -1L),
            ("memory_static_min", 1073741824L), ("memory_dynamic_min", 4294967296L), ("memory_dynamic_max", 4294967296L), ("memory_static_max", 4294967296L),
            ("VCPUs_max", 4L), ("VCPUs_at_startup", 4L)));
        api.Add("VM", TemplateRef, Record(XenModel.VM,
            ("uuid", TemplateUuid), ("name_label", "Debian Bookworm 12"), ("name_description", "Template for Debian 12"),
            ("is_a_template", true), ("power_state", "Halted"), ("domid", -1L),
            ("other_config", Map(("disks", $"<provision><disk device=\"0\" size=\"10737418240\" sr=\"\" bootable=\"true\" type=\"system\"/></provision>")))));

        api.Add("SR", LocalSrRef, Record(XenModel.SR,
            ("uuid", LocalSrUuid), ("name_label", "Local storage"), ("type", "ext"), ("content_type", "user"),
            ("PBDs", Set(LocalPbdRef)), ("VDIs", Set(Web1VdiRef, Db1VdiRef)), ("physical_size", 107374182400L),
            ("physical_utilisation", 10737418240L), ("virtual_allocation", 32212254720L), ("other_config", Map(("i18n-key", "local-storage")))));
        api.Add("SR", NfsSrRef, Record(XenModel.SR,
            ("uuid", NfsSrUuid), ("name_label", "NFS VMs"), ("name_description", "NFS SR [10.0.0.5:/export/vms]"), ("type", "nfs"),
            ("content_type", "user"), ("shared", true), ("PBDs", Set(NfsPbdRef))));
        api.Add("SR", IsoSrRef, Record(XenModel.SR,
            ("uuid", IsoSrUuid), ("name_label", "Local storage ISO"), ("type", "iso"), ("content_type", "iso")));
        api.Add("PBD", LocalPbdRef, Record(XenModel.PBD,
            ("uuid", LocalPbdUuid), ("host", HostRef), ("SR", LocalSrRef), ("device_config", Map(("device", "/dev/sdb"))), ("currently_attached", true)));
        api.Add("PBD", NfsPbdRef, Record(XenModel.PBD,
            ("uuid", NfsPbdUuid), ("host", HostRef), ("SR", NfsSrRef), ("device_config", Map(("server", "10.0.0.5"), ("serverpath", "/export/vms"))),
            ("currently_attached", true)));
        api.Add("VDI", Web1VdiRef, Record(XenModel.VDI,
            ("uuid", Web1VdiUuid), ("name_label", "web1 root"), ("SR", LocalSrRef), ("VBDs", Set(Web1VbdRef)), ("virtual_size", 10737418240L),
            ("physical_utilisation", 3221225472L), ("type", "system"), ("location", Web1VdiUuid)));
        api.Add("VDI", Db1VdiRef, Record(XenModel.VDI,
            ("uuid", Db1VdiUuid), ("name_label", "db1 root"), ("name_description", "data, logs"), ("SR", LocalSrRef), ("virtual_size", 21474836480L),
            ("type", "user"), ("sharable", true), ("location", Db1VdiUuid)));
        api.Add("VBD", Web1VbdRef, Record(XenModel.VBD,
            ("uuid", Web1VbdUuid), ("VM", Web1Ref), ("VDI", Web1VdiRef), ("device", "xvda"), ("userdevice", "0"), ("bootable", true),
            ("mode", "RW"), ("type", "Disk"), ("currently_attached", true), ("other_config", Map(("owner", "")))));

        api.Add("network", Net0Ref, Record(XenModel.Network,
            ("uuid", Net0Uuid), ("name_label", "Pool-wide network associated with eth0"), ("bridge", "xenbr0"), ("MTU", 1500L),
            ("VIFs", Set(Web1VifRef)), ("PIFs", Set(Pif0Ref))));
        api.Add("network", Net1Ref, Record(XenModel.Network,
            ("uuid", Net1Uuid), ("name_label", "Host internal management network"),
            ("name_description", "Network on which guests will be assigned a private link-local IP address which can be used to talk XenAPI"),
            ("bridge", "xenapi"), ("MTU", 1500L),
            ("other_config", Map(("is_guest_installer_network", "true"), ("is_host_internal_management_network", "true")))));
        api.Add("VIF", Web1VifRef, Record(XenModel.VIF,
            ("uuid", Web1VifUuid), ("device", "0"), ("network", Net0Ref), ("VM", Web1Ref), ("MAC", "aa:bb:cc:dd:ee:01"), ("MTU", 1500L),
            ("currently_attached", true)));
        api.Add("PIF", Pif0Ref, Record(XenModel.PIF,
            ("uuid", Pif0Uuid), ("device", "eth0"), ("network", Net0Ref), ("host", HostRef), ("MAC", "00:16:3e:00:00:01"), ("MTU", 1500L),
            ("VLAN", -1L), ("physical", true), ("currently_attached", true), ("management", true), ("ip_configuration_mode", "Static"),
            ("IP", "10.0.0.2"), ("netmask", "255.255.255.0"), ("gateway", "10.0.0.1")));
        api.Add("console", Web1ConsoleRef, Record(XenModel.Console,
            ("uuid", Web1ConsoleUuid), ("protocol", "rfb"), ("location", $"http://10.0.0.2/console?uuid={Web1ConsoleUuid}"), ("VM", Web1Ref)));
        api.Tables["task"] = new(StringComparer.Ordinal);
        api.Add("message", "OpaqueRef:message-1", Record(XenModel.Message,
            ("uuid", "d758697a-2b3c-4d4e-9f50-718293a4b5c6"), ("name", "VM_STARTED"), ("priority", 5L), ("cls", "VM"),
            ("obj_uuid", Web1Uuid), ("timestamp", Started), ("body", "")));
        return api;
    }

    /// <summary>Every field of the class at its default (as XML-RPC carries it), with the given values on top.</summary>
    public static Dictionary<string, object?> Record(XenClass cls, params (string Field, object? Value)[] values)
    {
        var record = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in cls.Fields)
        {
            record[field.Name] = Wire(field.Default);
        }

        foreach (var (name, value) in values)
        {
            if (!record.ContainsKey(name))
            {
                throw new ArgumentException($"{cls.Name} has no field {name}");
            }

            record[name] = Wire(value);
        }

        return record;
    }

    public static object?[] Set(params object?[] items) => items;

    public static Dictionary<string, object?> Map(params (string Key, object? Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>What XmlRpcReader hands back for a value xapi sent: ints as untyped strings.</summary>
    private static object? Wire(object? value) => value switch
    {
        long l => l.ToString(CultureInfo.InvariantCulture),
        IReadOnlyList<object?> list => list.Select(Wire).ToArray(),
        IReadOnlyDictionary<string, object?> map => map.ToDictionary(p => p.Key, p => Wire(p.Value), StringComparer.Ordinal),
        _ => value,
    };
}
