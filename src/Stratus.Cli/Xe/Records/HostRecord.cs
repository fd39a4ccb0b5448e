using Stratus.XenApi.Schema;
using static Stratus.Cli.Xe.Records.XeFields;

namespace Stratus.Cli.Xe.Records;

/// <summary>The CLI's host record (records.ml <c>host_record</c>); memory-total/free come from host_metrics.</summary>
internal static class HostRecord
{
    private const string Metrics = "metrics";

    public static XeRecordType Type { get; } = new("host", "host", Build())
    {
        DefaultListParams = ["uuid", "name-label", "name-description"],
    };

    private static XeField[] Build() =>
    [
        Text("uuid", "uuid"),
        Text("name-label", "name_label") with { Set = SetText("host.set_name_label") },
        Text("name-description", "name_description") with { Set = SetText("host.set_name_description") },
        EnumSet("allowed-operations", "allowed_operations", XeEnumText.HostOperation),
        Operations("current-operations", "current_operations", XeEnumText.HostOperation),
        Bool("enabled", "enabled"),
        Enum("display", "display"),
        Text("API-version-major", "API_version_major"),
        Text("API-version-minor", "API_version_minor"),
        Text("API-version-vendor", "API_version_vendor"),
        Map("API-version-vendor-implementation", "API_version_vendor_implementation"),
        MapRw("logging", "logging", "host"),
        RefUuid("suspend-image-sr-uuid", "suspend_image_sr", "SR") with { Set = SetRefByUuid("host.set_suspend_image_sr", "SR") },
        RefUuid("crash-dump-sr-uuid", "crash_dump_sr", "SR") with { Set = SetRefByUuid("host.set_crash_dump_sr", "SR") },
        Map("software-version", "software_version"),
        Strings("capabilities", "capabilities", asSet: true),
        MapRw("other-config", "other_config", "host"),
        Map("cpu_info", "cpu_info"),
        Map("chipset-info", "chipset_info"),
        Text("hostname", "hostname"),
        Text("address", "address"),
        Bool("https-only", "https_only") with { Set = SetRawBool("host.set_https_only", "https-only") },
        Strings("supported-bootloaders", "supported_bootloaders", asSet: true),
        RefMap("blobs", "blobs", "blob"),
        Text("memory-overhead", "memory_overhead"),
        Related("memory-total", Metrics, "host_metrics", "memory_total", XeText.Of),
        Related("memory-free", Metrics, "host_metrics", "memory_free", XeText.Of),
        new XeField
        {
            Name = "memory-free-computed",
            Expensive = true,
            Get = async (row, ct) => XeText.Of(await row.CallAsync("host.compute_free_memory", ct, row.Ref)),
        },
        Related("host-metrics-live", Metrics, "host_metrics", "live", XeText.Bool),
        new XeField
        {
            Name = "patches",
            Requires = ["patches"],
            Deprecated = true,
            Get = async (row, ct) => XeText.JoinComma(await PatchesAsync(row, ct)),
            GetSet = async (row, ct) => await PatchesAsync(row, ct),
        },
        new XeField
        {
            Name = "updates",
            Requires = ["updates"],
            Get = async (row, ct) => XeText.JoinComma(await UpdatesAsync(row, ct)),
            GetSet = async (row, ct) => await UpdatesAsync(row, ct),
        },
        new XeField
        {
            // The statefiles are VDI refs kept as strings.
            Name = "ha-statefiles",
            Requires = ["ha_statefiles"],
            Get = async (row, ct) =>
            {
                var uuids = new List<string>();
                foreach (var reference in XeText.Set(row["ha_statefiles"]))
                {
                    uuids.Add(await row.Context.UuidOfAsync("VDI", reference, ct));
                }

                return XeText.JoinSemi(uuids);
            },
        },
        Strings("ha-network-peers", "ha_network_peers"),
        Text("external-auth-type", "external_auth_type"),
        Text("external-auth-service-name", "external_auth_service_name"),
        Map("external-auth-configuration", "external_auth_configuration"),
        Text("edition", "edition"),
        Map("license-server", "license_server"),
        Text("power-on-mode", "power_on_mode"),
        Map("power-on-config", "power_on_config"),
        RefUuid("local-cache-sr", "local_cache_sr", "SR"),
        Tags("tags", "tags", "host"),
        Bool("ssl-legacy", "ssl_legacy") with { Set = SetSafeBool("host.set_ssl_legacy", "ssl-legacy") },
        MapRw("guest_VCPUs_params", "guest_VCPUs_params", "host"),
        Strings("virtual-hardware-platform-versions", "virtual_hardware_platform_versions", asSet: true),
        RefUuid("control-domain-uuid", "control_domain", "VM"),
        RefUuids("resident-vms", "resident_VMs", "VM", asSet: true),
        RefUuids("updates-requiring-reboot", "updates_requiring_reboot", "pool_update", asSet: true),
        RefUuids("features", "features", "Feature", asSet: true),
        Text("iscsi_iqn", "iscsi_iqn") with { Set = SetText("host.set_iscsi_iqn") },
        Bool("multipathing", "multipathing") with { Set = SetSafeBool("host.set_multipathing", "multipathing") },
        Text("uefi-certificates", "uefi_certificates") with { Hidden = true, Set = SetText("host.set_uefi_certificates") },
        Enum("numa-affinity-policy", "numa_affinity_policy") with { Set = SetEnum("host.set_numa_affinity_policy", XenEnums.HostNumaAffinityPolicy.Values) },
        EnumSet("pending-guidances", "pending_guidances", asSet: false),
        Bool("tls-verification-enabled", "tls_verification_enabled"),
        Text("last-software-update", "last_software_update"),
        Enum("latest-synced-updates-applied", "latest_synced_updates_applied"),
        EnumSet("pending-guidances-recommended", "pending_guidances_recommended", asSet: false),
        EnumSet("pending-guidances-full", "pending_guidances_full", asSet: false),
        Text("last-update-hash", "last_update_hash"),
        Bool("ssh-enabled", "ssh_enabled"),
        Text("ssh-enabled-timeout", "ssh_enabled_timeout") with { Set = SetSafeInt("host.set_ssh_enabled_timeout", "ssh-enabled-timeout") },
        Text("ssh-expiry", "ssh_expiry"),
        Text("console-idle-timeout", "console_idle_timeout") with { Set = SetSafeInt("host.set_console_idle_timeout", "console-idle-timeout") },
        Bool("ssh-auto-mode", "ssh_auto_mode") with { Set = SetSafeBool("host.set_ssh_auto_mode", "ssh-auto-mode") },
        Text("max-cstate", "max_cstate") with { Set = SetText("host.set_max_cstate") },
        Bool("secure-boot", "secure_boot"),

        // host_ntp_mode is newer than the datamodel Stratus carries: the server checks the value.
        Enum("ntp-mode", "ntp_mode") with { Set = Setter("host.set_ntp_mode", v => v.ToLowerInvariant()) },
        Strings("ntp-custom-servers", "ntp_custom_servers", asSet: true, comma: true) with
        {
            Set = (row, value, ct) => row.CallAsync("host.set_ntp_custom_servers", ct, row.Ref,
                value.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).Cast<object?>().ToArray()),
        },
        Text("timezone", "timezone") with { Set = SetText("host.set_timezone") },
    ];

    private static async Task<IReadOnlyList<string>> PatchesAsync(XeRow row, CancellationToken ct)
    {
        var uuids = new List<string>();
        foreach (var hostPatch in XeText.Set(row["patches"]))
        {
            var poolPatch = await row.CallAsync("host_patch.get_pool_patch", ct, hostPatch);
            uuids.Add(XeText.Of(await row.CallAsync("pool_patch.get_uuid", ct, poolPatch)));
        }

        return uuids;
    }

    private static async Task<IReadOnlyList<string>> UpdatesAsync(XeRow row, CancellationToken ct)
    {
        var uuids = new List<string>();
        foreach (var update in XeText.Set(row["updates"]))
        {
            uuids.Add(XeText.Of(await row.CallAsync("pool_update.get_uuid", ct, update)));
        }

        return uuids;
    }
}
