using System.Collections.Frozen;

namespace Stratus.Cli.Xe.Records;

/// <summary>
/// record_util.ml's hand-written enum printers: where xapi's CLI deliberately differs from the datamodel's names.
/// Every other enum prints under its datamodel name, exactly as the wire carries it.
/// </summary>
internal static class XeEnumText
{
    // record_util.ml vm_operation_table: CLI string ← datamodel name.
    private static readonly FrozenDictionary<string, string> VmOperationNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["assert_operation_valid"] = "assertoperationvalid", ["changing_dynamic_range"] = "changing_dynamic_range",
        ["changing_static_range"] = "changing_static_range", ["changing_shadow_memory"] = "changing_shadow_memory",
        ["clean_reboot"] = "clean_reboot", ["clean_shutdown"] = "clean_shutdown", ["clone"] = "clone", ["snapshot"] = "snapshot",
        ["checkpoint"] = "checkpoint", ["snapshot_with_quiesce"] = "snapshot_with_quiesce", ["copy"] = "copy", ["revert"] = "revert",
        ["reverting"] = "reverting", ["provision"] = "provision", ["destroy"] = "destroy", ["export"] = "export",
        ["metadata_export"] = "metadata_export", ["import"] = "import", ["get_boot_record"] = "get_boot_record",
        ["data_source_op"] = "data_sources_op", ["hard_reboot"] = "hard_reboot", ["hard_shutdown"] = "hard_shutdown",
        ["migrate_send"] = "migrate_send", ["pause"] = "pause", ["resume"] = "resume", ["resume_on"] = "resume_on",
        ["changing_VCPUs_live"] = "changing_VCPUs_live", ["changing_NVRAM"] = "changing_NVRAM", ["start"] = "start",
        ["start_on"] = "start_on", ["shutdown"] = "shutdown", ["suspend"] = "suspend", ["unpause"] = "unpause",
        ["update_allowed_operations"] = "update_allowed_operations", ["make_into_template"] = "make_into_template",
        ["send_sysrq"] = "send_sysrq", ["send_trigger"] = "send_trigger", ["changing_memory_live"] = "changing_memory_live",
        ["awaiting_memory_live"] = "awaiting_memory_live", ["changing_shadow_memory_live"] = "changing_shadow_memory_live",
        ["pool_migrate"] = "pool_migrate", ["power_state_reset"] = "power_state_reset", ["csvm"] = "csvm",
        ["call_plugin"] = "call_plugin", ["create_vtpm"] = "create_vtpm", ["sysprep"] = "sysprep",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> VmOperationsByCliName =
        VmOperationNames.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>record_util.ml <c>vm_operation_to_string</c>: operations outside its table print "(unknown operation)".</summary>
    public static string VmOperation(string value) => VmOperationNames.GetValueOrDefault(value, "(unknown operation)");

    /// <summary>record_util.ml <c>string_to_vm_operation</c> (blocked-operations keys).</summary>
    public static string VmOperationFromCli(string text) =>
        VmOperationsByCliName.TryGetValue(text, out var operation)
            ? operation
            : throw new Stratus.XenApi.XenApiFailure(Stratus.XenApi.XenErrors.InvalidValue, "blocked_operation", text);

    /// <summary>record_util.ml <c>vm_power_state_to_lowercase_string</c>: "Halted" → "halted".</summary>
    public static string Lowercase(string value) => value.Length == 0 ? value : char.ToLowerInvariant(value[0]) + value[1..];

    /// <summary>"destroy" → "Destroy" (on_normal_exit, task_allowed_operations).</summary>
    public static string Capitalized(string value) => value.Length == 0 ? value : char.ToUpperInvariant(value[0]) + value[1..];

    public static string OnCrash(string value) => value switch
    {
        "destroy" => "Destroy",
        "coredump_and_destroy" => "Core dump and destroy",
        "restart" => "Restart",
        "coredump_and_restart" => "Core dump and restart",
        "preserve" => "Preserve",
        "rename_restart" => "Rename restart",
        _ => value,
    };

    public static string OnSoftreboot(string value) => value switch
    {
        "soft_reboot" => "Soft reboot",
        _ => Capitalized(value),
    };

    /// <summary>record_util.ml <c>host_operation_to_string</c>.</summary>
    public static string HostOperation(string value) => value switch
    {
        "vm_start" => "VM.start",
        "vm_resume" => "VM.resume",
        "vm_migrate" => "VM.migrate",
        _ => value,
    };

    /// <summary>record_util.ml <c>sr_operation_to_string</c>: vdi_* and pbd_* print as VDI.* and PBD.*.</summary>
    public static string SrOperation(string value) =>
        value.StartsWith("vdi_", StringComparison.Ordinal) ? "VDI." + value[4..]
        : value.StartsWith("pbd_", StringComparison.Ordinal) ? "PBD." + value[4..]
        : value;

    public static string VdiType(string value) => value switch
    {
        "system" => "System",
        "user" => "User",
        "ephemeral" => "Ephemeral",
        "suspend" => "Suspend",
        "crashdump" => "Crashdump",
        "ha_statefile" => "HA statefile",
        "metadata" => "Metadata",
        "redo_log" => "Redo log",
        "rrd" => "rrd",
        "pvs_cache" => "PVS cache",
        "cbt_metadata" => "CBT metadata",
        _ => value,
    };

    public static string ConsoleProtocol(string value) => value.ToUpperInvariant();

    public static string DomainType(string value) => value == "pv_in_pvh" ? "pv-in-pvh" : value;

    /// <summary>record_util.ml <c>domain_type_of_string</c>.</summary>
    public static string DomainTypeFromCli(string text) => text.ToLowerInvariant() switch
    {
        "hvm" => "hvm",
        "pv" => "pv",
        "pv-in-pvh" => "pv_in_pvh",
        "pvh" => "pvh",
        var s => throw new XeCliFailure($"Invalid domain type. Got {s}"),
    };

    /// <summary>record_util.ml <c>tristate_to_string</c>.</summary>
    public static string Tristate(string value) => value switch
    {
        "yes" => "true",
        "no" => "false",
        _ => value,
    };
}
