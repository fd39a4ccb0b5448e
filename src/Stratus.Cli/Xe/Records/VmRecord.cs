using System.Globalization;
using Stratus.XenApi;
using Stratus.XenApi.Schema;
using static Stratus.Cli.Xe.Records.XeFields;

namespace Stratus.Cli.Xe.Records;

/// <summary>
/// The CLI's VM record (records.ml <c>vm_record</c>), shared by the vm, template and snapshot classes. Memory
/// fields are set through <c>VM.set_memory_*</c>, so the server's own checks (MEMORY_CONSTRAINT_VIOLATION_ORDER,
/// VM_BAD_POWER_STATE) reach the user unchanged.
/// </summary>
internal static class VmRecord
{
    private const string Metrics = "metrics";
    private const string GuestMetrics = "guest_metrics";

    // Constants.settable_vm_bios_string_keys.
    private static readonly string[] SettableBiosStrings =
    [
        "bios-vendor", "bios-version", "system-manufacturer", "system-product-name", "system-version", "system-serial-number",
        "baseboard-manufacturer", "baseboard-product-name", "baseboard-version", "baseboard-serial-number",
        "baseboard-asset-tag", "baseboard-location-in-chassis", "enclosure-asset-tag",
    ];

    public static IReadOnlyList<XeField> Fields { get; } = Build();

    public static XeRecordType Vm { get; } = new("vm", "VM", Fields)
    {
        DefaultFilters = [new("is-a-template", "false")],
        DefaultListParams = ["name-label", "uuid", "power-state"],
        StandardList = true,
    };

    public static XeRecordType Template { get; } = new("template", "VM", Fields)
    {
        DefaultFilters = [new("is-a-template", "true"), new("is-a-snapshot", "false")],
        DefaultListParams = ["name-label", "name-description", "uuid"],
    };

    public static XeRecordType Snapshot { get; } = new("snapshot", "VM", Fields)
    {
        DefaultFilters = [new("is-a-snapshot", "true")],
        DefaultListParams = ["name-label", "name-description", "uuid", "snapshot_of", "snapshot_time", "is-vmss-snapshot"],
    };

    private static XeField[] Build() =>
    [
        Text("uuid", "uuid"),
        Text("name-label", "name_label") with { Set = SetText("VM.set_name_label") },
        Text("name-description", "name_description") with { Set = SetText("VM.set_name_description") },
        Text("user-version", "user_version") with { Set = SetSafeInt("VM.set_user_version", "user-version") },
        Bool("is-a-template", "is_a_template") with { Set = SetSafeBool("VM.set_is_a_template", "is-a-template") },
        Bool("is-default-template", "is_default_template") with { Set = SetSafeBool("VM.set_is_default_template", "is-default-template") },
        Bool("is-a-snapshot", "is_a_snapshot"),
        RefUuid("snapshot-of", "snapshot_of", "VM"),
        RefUuids("snapshots", "snapshots", "VM"),
        Text("snapshot-time", "snapshot_time"),
        Text("transportable-snapshot-id", "transportable_snapshot_id") with { Hidden = true },
        MapText("snapshot-info", "snapshot_info"),
        RefUuid("parent", "parent", "VM"),
        RefUuids("children", "children", "VM"),
        Bool("is-control-domain", "is_control_domain"),
        Enum("power-state", "power_state", XeEnumText.Lowercase),
        Related("memory-actual", Metrics, "VM_metrics", "memory_actual", XeText.Of),
        new XeField { Name = "memory-target", Expensive = true, Get = MemoryTargetAsync },
        Text("memory-overhead", "memory_overhead"),
        Text("memory-static-max", "memory_static_max") with { Set = SetBytes("VM.set_memory_static_max", "memory-static-max") },
        Text("memory-dynamic-max", "memory_dynamic_max") with { Set = SetBytes("VM.set_memory_dynamic_max", "memory-dynamic-max") },
        Text("memory-dynamic-min", "memory_dynamic_min") with { Set = SetBytes("VM.set_memory_dynamic_min", "memory-dynamic-min") },
        Text("memory-static-min", "memory_static_min") with { Set = SetBytes("VM.set_memory_static_min", "memory-static-min") },
        RefUuid("suspend-VDI-uuid", "suspend_VDI", "VDI") with { Set = SetRefByUuid("VM.set_suspend_VDI", "VDI", emptyIsNull: false) },
        RefUuid("suspend-SR-uuid", "suspend_SR", "SR") with { Set = SetRefByUuid("VM.set_suspend_SR", "SR", emptyIsNull: false) },
        Map("VCPUs-params", "VCPUs_params") with
        {
            AddToMap = (row, key, value, ct) => key is "weight" or "cap" or "mask"
                ? row.CallAsync("VM.add_to_VCPUs_params", ct, row.Ref, key, value)
                : throw new XeCliFailure($"Failed to add parameter '{key}': expecting 'weight','cap' or 'mask'"),
            RemoveFromMap = (row, key, ct) => row.CallAsync("VM.remove_from_VCPUs_params", ct, row.Ref, key),
        },
        Text("VCPUs-max", "VCPUs_max") with { Set = SetSafeInt("VM.set_VCPUs_max", "VCPUs-max") },
        Text("VCPUs-at-startup", "VCPUs_at_startup") with { Set = SetSafeInt("VM.set_VCPUs_at_startup", "VCPUs-at-startup") },
        Enum("actions-after-shutdown", "actions_after_shutdown", XeEnumText.Capitalized) with { Set = SetEnum("VM.set_actions_after_shutdown", XenEnums.OnNormalExit.Values) },
        Enum("actions-after-softreboot", "actions_after_softreboot", XeEnumText.OnSoftreboot) with { Set = SetEnum("VM.set_actions_after_softreboot", XenEnums.OnSoftrebootBehavior.Values) },
        Enum("actions-after-reboot", "actions_after_reboot", XeEnumText.Capitalized) with { Set = SetEnum("VM.set_actions_after_reboot", XenEnums.OnNormalExit.Values) },
        Enum("actions-after-crash", "actions_after_crash", XeEnumText.OnCrash) with { Set = SetEnum("VM.set_actions_after_crash", XenEnums.OnCrashBehaviour.Values) },
        RefUuids("console-uuids", "consoles", "console", asSet: true),
        Related("hvm", Metrics, "VM_metrics", "hvm", XeText.Bool, none: "false"),
        Related("nomigrate", Metrics, "VM_metrics", "nomigrate", XeText.Bool, none: "false") with { Hidden = true },
        Related("nested-virt", Metrics, "VM_metrics", "nested_virt", XeText.Bool, none: "false") with { Hidden = true },
        MapRw("platform", "platform", "VM"),
        Related("numa-optimised", Metrics, "VM_metrics", "numa_optimised", XeText.Bool, none: "false"),
        Related("numa-nodes", Metrics, "VM_metrics", "numa_nodes", XeText.Of, none: "0"),
        RelatedMap("numa-node-memory", Metrics, "VM_metrics", "numa_node_memory", none: "[]"),
        EnumSet("allowed-operations", "allowed_operations", XeEnumText.VmOperation),
        Operations("current-operations", "current_operations", XeEnumText.VmOperation),
        new XeField
        {
            Name = "blocked-operations",
            Requires = ["blocked_operations"],
            Get = (row, _) => new(XeText.JoinMap(BlockedOperations(row))),
            GetMap = (row, _) => new(BlockedOperations(row)),
            AddToMap = (row, key, value, ct) => row.CallAsync("VM.add_to_blocked_operations", ct, row.Ref, XeEnumText.VmOperationFromCli(key), value),
            RemoveFromMap = (row, key, ct) => row.CallAsync("VM.remove_from_blocked_operations", ct, row.Ref, XeEnumText.VmOperationFromCli(key)),
        },
        new XeField
        {
            Name = "allowed-VBD-devices",
            Expensive = true,
            Get = async (row, ct) => XeText.JoinSemi(await AllowedDevicesAsync(row, "VM.get_allowed_VBD_devices", ct)),
            GetSet = async (row, ct) => await AllowedDevicesAsync(row, "VM.get_allowed_VBD_devices", ct),
        },
        new XeField
        {
            Name = "allowed-VIF-devices",
            Expensive = true,
            Get = async (row, ct) => XeText.JoinSemi(await AllowedDevicesAsync(row, "VM.get_allowed_VIF_devices", ct)),
            GetSet = async (row, ct) => await AllowedDevicesAsync(row, "VM.get_allowed_VIF_devices", ct),
        },
        new XeField
        {
            Name = "possible-hosts",
            Expensive = true,
            Get = async (row, ct) =>
            {
                var hosts = XeText.Set(await row.CallAsync("VM.get_possible_hosts", ct, row.Ref));
                var uuids = new List<string>();
                foreach (var host in hosts)
                {
                    uuids.Add(await row.Context.UuidOfAsync("host", host, ct));
                }

                return XeText.JoinSemi(uuids);
            },
        },
        Enum("domain-type", "domain_type", XeEnumText.DomainType) with { Set = Setter("VM.set_domain_type", XeEnumText.DomainTypeFromCli) },
        Related("current-domain-type", Metrics, "VM_metrics", "current_domain_type", v => XeEnumText.DomainType(XeText.Of(v))),
        Text("HVM-boot-policy", "HVM_boot_policy") with { Set = SetText("VM.set_HVM_boot_policy") },
        MapRw("HVM-boot-params", "HVM_boot_params", "VM"),
        Float("HVM-shadow-multiplier", "HVM_shadow_multiplier") with { Set = SetFloat("VM.set_HVM_shadow_multiplier", "HVM-shadow-multiplier") },
        MapRw("NVRAM", "NVRAM", "VM") with { Hidden = true },
        Text("PV-kernel", "PV_kernel") with { Set = SetText("VM.set_PV_kernel") },
        Text("PV-ramdisk", "PV_ramdisk") with { Set = SetText("VM.set_PV_ramdisk") },
        Text("PV-args", "PV_args") with { Set = SetText("VM.set_PV_args") },
        Text("PV-legacy-args", "PV_legacy_args") with { Set = SetText("VM.set_PV_legacy_args") },
        Text("PV-bootloader", "PV_bootloader") with { Set = SetText("VM.set_PV_bootloader") },
        Text("PV-bootloader-args", "PV_bootloader_args") with { Set = SetText("VM.set_PV_bootloader_args") },
        MapText("last-boot-CPU-flags", "last_boot_CPU_flags"),
        new XeField
        {
            Name = "last-boot-record",
            Requires = ["last_booted_record"],
            Expensive = true,
            Get = (row, _) => new("'" + XeText.Of(row["last_booted_record"]) + "'"),
        },
        RefUuid("resident-on", "resident_on", "host"),
        RefUuid("affinity", "affinity", "host") with { Set = SetRefByUuid("VM.set_affinity", "host") },
        MapRw("other-config", "other_config", "VM"),
        Text("dom-id", "domid"),
        Text("recommendations", "recommendations"),
        MapRw("xenstore-data", "xenstore_data", "VM") with
        {
            ClearMap = (row, ct) => row.CallAsync("VM.set_xenstore_data", ct, row.Ref, XenValue.EmptyMap),
        },
        Bool("ha-always-run", "ha_always_run") with { Deprecated = true, Set = SetRawBool("VM.set_ha_always_run", "ha-always-run") },
        Text("ha-restart-priority", "ha_restart_priority") with { Set = SetText("VM.set_ha_restart_priority") },
        RefMap("blobs", "blobs", "blob"),
        Related("start-time", Metrics, "VM_metrics", "start_time", XeText.Of, none: "<unknown time>"),
        Related("install-time", Metrics, "VM_metrics", "install_time", XeText.Of, none: "<unknown time>"),
        Related("VCPUs-number", Metrics, "VM_metrics", "VCPUs_number", XeText.Of),
        new XeField
        {
            Name = "VCPUs-utilisation",
            Expensive = true,
            Get = async (row, ct) =>
            {
                try
                {
                    return XeText.JoinMap(await VcpuUtilisationAsync(row, ct));
                }
                catch (XenApiFailure)
                {
                    return "";
                }
            },
            GetMap = async (row, ct) =>
            {
                try
                {
                    return await VcpuUtilisationAsync(row, ct);
                }
                catch (XenApiFailure)
                {
                    return [];
                }
            },
        },
        RelatedMap("os-version", GuestMetrics, "VM_guest_metrics", "os_version"),
        RelatedMap("netbios-name", GuestMetrics, "VM_guest_metrics", "netbios_name"),
        RelatedMap("PV-drivers-version", GuestMetrics, "VM_guest_metrics", "PV_drivers_version"),
        Related("PV-drivers-up-to-date", GuestMetrics, "VM_guest_metrics", "PV_drivers_up_to_date", XeText.Bool) with { Deprecated = true },
        RelatedMap("memory", GuestMetrics, "VM_guest_metrics", "memory"),
        RelatedMap("disks", GuestMetrics, "VM_guest_metrics", "disks"),
        RefUuids("VBDs", "VBDs", "VBD", asSet: true),
        RelatedMap("networks", GuestMetrics, "VM_guest_metrics", "networks"),
        RelatedMap("services", GuestMetrics, "VM_guest_metrics", "services"),
        Related("PV-drivers-detected", GuestMetrics, "VM_guest_metrics", "PV_drivers_detected", XeText.Bool),
        RelatedMap("other", GuestMetrics, "VM_guest_metrics", "other"),
        Related("live", GuestMetrics, "VM_guest_metrics", "live", XeText.Bool),
        Related("guest-metrics-last-updated", GuestMetrics, "VM_guest_metrics", "last_updated", XeText.Of),
        Related("can-use-hotplug-vbd", GuestMetrics, "VM_guest_metrics", "can_use_hotplug_vbd", v => XeEnumText.Tristate(XeText.Of(v))),
        Related("can-use-hotplug-vif", GuestMetrics, "VM_guest_metrics", "can_use_hotplug_vif", v => XeEnumText.Tristate(XeText.Of(v))),
        new XeField
        {
            Name = "cooperative",
            Expensive = true,
            Deprecated = true,
            Get = async (row, ct) =>
            {
                try
                {
                    return XeText.Bool(await row.CallAsync("VM.get_cooperative", ct, row.Ref));
                }
                catch (XenApiFailure)
                {
                    return "true";
                }
            },
        },
        Tags("tags", "tags", "VM"),
        RefUuid("appliance", "appliance", "VM_appliance") with { Set = SetRefByUuid("VM.set_appliance", "VM_appliance") },
        RefUuids("groups", "groups", "VM_group") with
        {
            Set = async (row, value, ct) =>
            {
                var groups = new List<object?>();
                foreach (var uuid in Words(value))
                {
                    groups.Add(await row.CallAsync("VM_group.get_by_uuid", ct, uuid));
                }

                await row.CallAsync("VM.set_groups", ct, row.Ref, groups);
            },
        },
        Enum("secureboot-certificates-state", "secureboot_certificates_state"),
        RefUuid("snapshot-schedule", "snapshot_schedule", "VMSS") with { Set = SetRefByUuid("VM.set_snapshot_schedule", "VMSS") },
        Bool("is-vmss-snapshot", "is_vmss_snapshot"),
        Text("start-delay", "start_delay") with { Set = SetSafeInt("VM.set_start_delay", "start-delay") },
        Text("shutdown-delay", "shutdown_delay") with { Set = SetSafeInt("VM.set_shutdown_delay", "shutdown-delay") },
        Text("order", "order") with { Set = SetSafeInt("VM.set_order", "order") },
        Text("version", "version"),
        Text("generation-id", "generation_id"),
        Text("hardware-platform-version", "hardware_platform_version"),
        Bool("has-vendor-device", "has_vendor_device") with { Set = SetSafeBool("VM.set_has_vendor_device", "has-vendor-device") },
        Bool("requires-reboot", "requires_reboot"),
        Text("reference-label", "reference_label"),
        Map("bios-strings", "bios_strings") with
        {
            SetMap = (row, pairs, ct) =>
            {
                foreach (var (key, _) in pairs)
                {
                    if (!SettableBiosStrings.Contains(key))
                    {
                        throw new XeCliFailure($"Unknown key '{key}': expecting {string.Join(", ", SettableBiosStrings)}");
                    }
                }

                return row.CallAsync("VM.set_bios_strings", ct, row.Ref, pairs.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal));
            },
        },
        EnumSet("pending-guidances", "pending_guidances", asSet: false),
        RefUuids("vtpms", "VTPMs", "VTPM"),
        EnumSet("pending-guidances-recommended", "pending_guidances_recommended", asSet: false),
        EnumSet("pending-guidances-full", "pending_guidances_full", asSet: false),
    ];

    private static IReadOnlyList<KeyValuePair<string, string>> BlockedOperations(XeRow row) =>
        XeText.Map(row["blocked_operations"]).Select(p => new KeyValuePair<string, string>(XeEnumText.VmOperation(p.Key), p.Value)).ToArray();

    /// <summary>The control domain cannot answer these, so records.ml swallows every failure.</summary>
    private static async Task<IReadOnlyList<string>> AllowedDevicesAsync(XeRow row, string method, CancellationToken ct)
    {
        try
        {
            return XeText.Set(await row.CallAsync(method, ct, row.Ref));
        }
        catch (XenApiFailure)
        {
            return [];
        }
    }

    /// <summary>records.ml <c>get_memory_target</c>: the RRD value, 0 for a halted VM, "&lt;unknown&gt;" otherwise.</summary>
    private static async ValueTask<string?> MemoryTargetAsync(XeRow row, CancellationToken ct)
    {
        try
        {
            var value = await row.CallAsync("VM.query_data_source", ct, row.Ref, "memory_target");
            return ((long)XeText.ToDouble(value)).ToString(CultureInfo.InvariantCulture);
        }
        catch (XenApiFailure failure) when (failure.Code == XenErrors.VmBadPowerState)
        {
            return "0";
        }
        catch (XenApiFailure)
        {
            return "<unknown>";
        }
    }

    private static async Task<IReadOnlyList<KeyValuePair<string, string>>> VcpuUtilisationAsync(XeRow row, CancellationToken ct)
    {
        var metrics = await row.RelatedAsync(Metrics, "VM_metrics", ct);
        var count = metrics is null ? 0 : XeText.ToLong(metrics.GetValueOrDefault("VCPUs_number"));
        var result = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < count; i++)
        {
            var value = await row.CallAsync("VM.query_data_source", ct, row.Ref, $"cpu{i}");
            result.Add(new(i.ToString(CultureInfo.InvariantCulture), XeText.Float(value)));
        }

        return result;
    }
}
