// Transcribed from the published XenAPI datamodel (xapi-project/xen-api, doc/data/xenapi.json at e2ee48d):
// names, types, qualifiers and defaults only. Edit by hand to add a field; keep the datamodel's order.
namespace Stratus.XenApi.Schema;

public static class XenEnums
{
    public static readonly XenEnum Cls = new("cls", ["VM", "Host", "SR", "Pool", "VMPP", "VMSS", "PVS_proxy", "VDI", "Certificate"]);
    public static readonly XenEnum ConsoleProtocol = new("console_protocol", ["vt100", "rfb", "rdp"]);
    public static readonly XenEnum DomainType = new("domain_type", ["hvm", "pv", "pv_in_pvh", "pvh", "unspecified"]);
    public static readonly XenEnum EventOperation = new("event_operation", ["add", "del", "mod"]);
    public static readonly XenEnum HostAllowedOperations = new("host_allowed_operations", ["provision", "evacuate", "shutdown", "reboot", "power_on", "vm_start", "vm_resume", "vm_migrate", "apply_updates", "enable"]);
    public static readonly XenEnum HostDisplay = new("host_display", ["enabled", "disable_on_reboot", "disabled", "enable_on_reboot"]);
    public static readonly XenEnum HostNumaAffinityPolicy = new("host_numa_affinity_policy", ["any", "best_effort", "default_policy"]);
    public static readonly XenEnum HostSchedGran = new("host_sched_gran", ["core", "cpu", "socket"]);
    public static readonly XenEnum IpConfigurationMode = new("ip_configuration_mode", ["None", "DHCP", "Static"]);
    public static readonly XenEnum Ipv6ConfigurationMode = new("ipv6_configuration_mode", ["None", "DHCP", "Static", "Autoconf"]);
    public static readonly XenEnum LatestSyncedUpdatesAppliedState = new("latest_synced_updates_applied_state", ["yes", "no", "unknown"]);
    public static readonly XenEnum NetworkDefaultLockingMode = new("network_default_locking_mode", ["unlocked", "disabled"]);
    public static readonly XenEnum NetworkOperations = new("network_operations", ["attaching"]);
    public static readonly XenEnum NetworkPurpose = new("network_purpose", ["nbd", "insecure_nbd"]);
    public static readonly XenEnum OnBoot = new("on_boot", ["reset", "persist"]);
    public static readonly XenEnum OnCrashBehaviour = new("on_crash_behaviour", ["destroy", "coredump_and_destroy", "restart", "coredump_and_restart", "preserve", "rename_restart"]);
    public static readonly XenEnum OnNormalExit = new("on_normal_exit", ["destroy", "restart"]);
    public static readonly XenEnum OnSoftrebootBehavior = new("on_softreboot_behavior", ["soft_reboot", "destroy", "restart", "preserve"]);
    public static readonly XenEnum PifIgmpStatus = new("pif_igmp_status", ["enabled", "disabled", "unknown"]);
    public static readonly XenEnum PoolAllowedOperations = new("pool_allowed_operations", ["ha_enable", "ha_disable", "cluster_create", "designate_new_master", "configure_repositories", "sync_updates", "get_updates", "apply_updates", "tls_verification_enable", "cert_refresh", "exchange_certificates_on_join", "exchange_ca_certificates_on_join", "copy_primary_host_certs", "eject"]);
    public static readonly XenEnum PrimaryAddressType = new("primary_address_type", ["IPv4", "IPv6"]);
    public static readonly XenEnum StorageOperations = new("storage_operations", ["scan", "destroy", "forget", "plug", "unplug", "update", "vdi_create", "vdi_introduce", "vdi_destroy", "vdi_resize", "vdi_clone", "vdi_snapshot", "vdi_mirror", "vdi_enable_cbt", "vdi_disable_cbt", "vdi_data_destroy", "vdi_list_changed_blocks", "vdi_set_on_boot", "pbd_create", "pbd_destroy"]);
    public static readonly XenEnum TaskAllowedOperations = new("task_allowed_operations", ["cancel", "destroy"]);
    public static readonly XenEnum TaskStatusType = new("task_status_type", ["pending", "success", "failure", "cancelling", "cancelled"]);
    public static readonly XenEnum TelemetryFrequency = new("telemetry_frequency", ["daily", "weekly", "monthly"]);
    public static readonly XenEnum TristateType = new("tristate_type", ["yes", "no", "unspecified"]);
    public static readonly XenEnum UpdateGuidances = new("update_guidances", ["reboot_host", "reboot_host_on_livepatch_failure", "reboot_host_on_kernel_livepatch_failure", "reboot_host_on_xen_livepatch_failure", "restart_toolstack", "restart_device_model", "restart_vm"]);
    public static readonly XenEnum UpdateSyncFrequency = new("update_sync_frequency", ["daily", "weekly"]);
    public static readonly XenEnum VbdMode = new("vbd_mode", ["RO", "RW"]);
    public static readonly XenEnum VbdOperations = new("vbd_operations", ["attach", "eject", "insert", "plug", "unplug", "unplug_force", "pause", "unpause"]);
    public static readonly XenEnum VbdType = new("vbd_type", ["CD", "Disk", "Floppy"]);
    public static readonly XenEnum VdiOperations = new("vdi_operations", ["clone", "copy", "resize", "resize_online", "snapshot", "mirror", "destroy", "forget", "update", "force_unlock", "generate_config", "enable_cbt", "disable_cbt", "data_destroy", "list_changed_blocks", "set_on_boot", "blocked"]);
    public static readonly XenEnum VdiType = new("vdi_type", ["system", "user", "ephemeral", "suspend", "crashdump", "ha_statefile", "metadata", "redo_log", "rrd", "pvs_cache", "cbt_metadata"]);
    public static readonly XenEnum VifIpv4ConfigurationMode = new("vif_ipv4_configuration_mode", ["None", "Static"]);
    public static readonly XenEnum VifIpv6ConfigurationMode = new("vif_ipv6_configuration_mode", ["None", "Static"]);
    public static readonly XenEnum VifLockingMode = new("vif_locking_mode", ["network_default", "locked", "unlocked", "disabled"]);
    public static readonly XenEnum VifOperations = new("vif_operations", ["attach", "plug", "unplug"]);
    public static readonly XenEnum VmOperations = new("vm_operations", ["snapshot", "clone", "copy", "create_template", "revert", "checkpoint", "snapshot_with_quiesce", "provision", "start", "start_on", "pause", "unpause", "clean_shutdown", "clean_reboot", "hard_shutdown", "power_state_reset", "hard_reboot", "suspend", "csvm", "resume", "resume_on", "pool_migrate", "migrate_send", "get_boot_record", "send_sysrq", "send_trigger", "query_services", "shutdown", "call_plugin", "changing_memory_live", "awaiting_memory_live", "changing_dynamic_range", "changing_static_range", "changing_memory_limits", "changing_shadow_memory", "changing_shadow_memory_live", "changing_VCPUs", "changing_VCPUs_live", "changing_NVRAM", "assert_operation_valid", "data_source_op", "update_allowed_operations", "make_into_template", "import", "export", "metadata_export", "reverting", "destroy", "create_vtpm"]);
    public static readonly XenEnum VmPowerState = new("vm_power_state", ["Halted", "Paused", "Running", "Suspended"]);
}
