using static Stratus.Cli.Xe.Records.XeFields;

namespace Stratus.Cli.Xe.Records;

/// <summary>
/// The CLI's pool record (records.ml <c>pool_record</c>). A few fields summarise the hosts: records.ml asks each
/// host with a getter; the same values are read here from the hosts' records.
/// </summary>
internal static class PoolRecord
{
    private const string Inconsistent = "<inconsistent>";

    public static XeRecordType Type { get; } = new("pool", "pool", Build())
    {
        DefaultListParams = ["uuid", "name-label", "name-description", "master", "default-SR"],
    };

    private static XeField[] Build() =>
    [
        Text("uuid", "uuid"),
        Text("name-label", "name_label") with { Set = SetText("pool.set_name_label") },
        Text("name-description", "name_description") with { Set = SetText("pool.set_name_description") },
        RefUuid("master", "master", "host"),
        RefUuid("default-SR", "default_SR", "SR") with { Set = SetRefByUuid("pool.set_default_SR", "SR") },
        RefUuid("crash-dump-SR", "crash_dump_SR", "SR") with { Set = SetRefByUuid("pool.set_crash_dump_SR", "SR") },
        RefUuid("suspend-image-SR", "suspend_image_SR", "SR") with { Set = SetRefByUuid("pool.set_suspend_image_SR", "SR") },
        new XeField
        {
            Name = "supported-sr-types",
            Expensive = true,
            Get = async (row, ct) => XeText.JoinSemi(XeText.Set(await row.CallAsync("SR.get_supported_types", ct))),
        },
        MapRw("other-config", "other_config", "pool"),
        EnumSet("allowed-operations", "allowed_operations"),
        Operations("current-operations", "current_operations"),
        Bool("ha-enabled", "ha_enabled"),
        MapText("ha-configuration", "ha_configuration"),
        new XeField
        {
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
        Text("ha-host-failures-to-tolerate", "ha_host_failures_to_tolerate") with { Set = SetRawInt("pool.set_ha_host_failures_to_tolerate") },
        Text("ha-plan-exists-for", "ha_plan_exists_for"),
        Bool("ha-allow-overcommit", "ha_allow_overcommit") with { Set = SetRawBool("pool.set_ha_allow_overcommit", "ha-allow-overcommit") },
        Bool("ha-overcommitted", "ha_overcommitted"),
        Bool("ha-reboot-vm-on-internal-shutdown", "ha_reboot_vm_on_internal_shutdown") with
        {
            Set = SetRawBool("pool.set_ha_reboot_vm_on_internal_shutdown", "ha-reboot-vm-on-internal-shutdown"),
        },
        RefMap("blobs", "blobs", "blob"),
        Text("wlb-url", "wlb_url"),
        Text("wlb-username", "wlb_username"),
        Bool("wlb-enabled", "wlb_enabled") with { Set = SetRawBool("pool.set_wlb_enabled", "wlb-enabled") },
        Bool("wlb-verify-cert", "wlb_verify_cert") with { Set = SetRawBool("pool.set_wlb_verify_cert", "wlb-verify-cert") },
        Bool("igmp-snooping-enabled", "igmp_snooping_enabled") with { Set = SetRawBool("pool.set_igmp_snooping_enabled", "igmp-snooping-enabled") },
        MapRw("gui-config", "gui_config", "pool"),
        MapRw("health-check-config", "health_check_config", "pool"),
        new XeField
        {
            Name = "vswitch-controller",
            Hidden = true,
            Requires = ["vswitch_controller"],
            Get = (row, _) => new(XeText.Of(row["vswitch_controller"]) is { Length: > 0 } controller ? controller : "<not set>"),
        },
        MapText("restrictions", "restrictions"),
        Tags("tags", "tags", "pool"),
        new XeField
        {
            Name = "license-state",
            Get = async (row, ct) => XeText.JoinMap(XeText.Map(await row.CallAsync("pool.get_license_state", ct, row.Ref))),
        },
        Text("ha-cluster-stack", "ha_cluster_stack"),
        MapRw("guest-agent-config", "guest_agent_config", "pool"),
        Map("cpu_info", "cpu_info"),
        Bool("policy-no-vendor-device", "policy_no_vendor_device") with { Set = SetSafeBool("pool.set_policy_no_vendor_device", "policy-no-vendor-device") },
        Bool("live-patching-disabled", "live_patching_disabled") with { Set = SetSafeBool("pool.set_live_patching_disabled", "live-patching-disabled") },
        Text("uefi-certificates", "uefi_certificates") with { Hidden = true, Set = SetText("pool.set_uefi_certificates") },
        Text("custom-uefi-certificates", "custom_uefi_certificates") with { Hidden = true, Set = SetText("pool.set_custom_uefi_certificates") },
        Bool("tls-verification-enabled", "tls_verification_enabled"),
        Bool("client-certificate-auth-enabled", "client_certificate_auth_enabled"),
        Text("client-certificate-auth-name", "client_certificate_auth_name"),
        RefUuids("repositories", "repositories", "Repository", asSet: true) with
        {
            Set = async (row, value, ct) =>
            {
                var repositories = new List<object?>();
                foreach (var uuid in Words(value))
                {
                    repositories.Add(await row.CallAsync("Repository.get_by_uuid", ct, uuid));
                }

                await row.CallAsync("pool.set_repositories", ct, row.Ref, repositories);
            },
            AddToSet = async (row, uuid, ct) => await row.CallAsync("pool.add_repository", ct, row.Ref, await row.CallAsync("Repository.get_by_uuid", ct, uuid)),
            RemoveFromSet = async (row, uuid, ct) => await row.CallAsync("pool.remove_repository", ct, row.Ref, await row.CallAsync("Repository.get_by_uuid", ct, uuid)),
        },
        Text("repository-proxy-url", "repository_proxy_url"),
        Text("repository-proxy-username", "repository_proxy_username"),
        new XeField
        {
            // true only when every host is https-only (an empty pool is trivially so).
            Name = "https-only",
            Get = async (row, ct) =>
            {
                var hosts = await row.Context.AllRecordsAsync("host", ct);
                if (hosts.Values.Any(h => !h.ContainsKey("https_only")))
                {
                    return null;
                }

                return hosts.Values.All(h => XeText.IsTrue(h["https_only"])) ? "true" : "false";
            },
            Set = SetRawBool("pool.set_https_only", "https-only"),
        },
        Bool("migration-compression", "migration_compression") with { Set = SetSafeBool("pool.set_migration_compression", "migration-compression") },
        Bool("coordinator-bias", "coordinator_bias") with { Set = SetSafeBool("pool.set_coordinator_bias", "coordinator-bias") },
        Enum("telemetry-frequency", "telemetry_frequency"),
        Text("telemetry-next-collection", "telemetry_next_collection"),
        Text("last-update-sync", "last_update_sync"),
        Enum("update-sync-frequency", "update_sync_frequency"),
        Text("update-sync-day", "update_sync_day"),
        Bool("update-sync-enabled", "update_sync_enabled"),
        Bool("auto-update-vm-secureboot-certificates", "auto_update_vm_secureboot_certificates") with
        {
            Set = SetSafeBool("pool.set_auto_update_vm_secureboot_certificates", "auto-update-vm-secureboot-certificates"),
        },
        Map("recommendations", "recommendations"),
        Bool("ext-auth-cache-enabled", "ext_auth_cache_enabled") with { Set = SetSafeBool("pool.set_ext_auth_cache_enabled", "ext-auth-cache-enabled") },
        Text("ext-auth-cache-size", "ext_auth_cache_size") with { Set = SetRawInt("pool.set_ext_auth_cache_size") },
        Text("ext-auth-cache-expiry", "ext_auth_cache_expiry") with { Set = SetRawInt("pool.set_ext_auth_cache_expiry") },
        MapRw("license-server", "license_server", "pool"),
        HostsAgree("ssh-enabled", "ssh_enabled", XeText.Bool),
        HostsAgree("ssh-enabled-timeout", "ssh_enabled_timeout", XeText.Of) with { Set = SetSafeInt("pool.set_ssh_enabled_timeout", "ssh-enabled-timeout") },
        HostsAgree("ssh-expiry", "ssh_expiry", XeText.Of),
        HostsAgree("console-idle-timeout", "console_idle_timeout", XeText.Of) with { Set = SetSafeInt("pool.set_console_idle_timeout", "console-idle-timeout") },
        HostsAgree("ssh-auto-mode", "ssh_auto_mode", XeText.Bool) with { Set = SetSafeBool("pool.set_ssh_auto_mode", "ssh-auto-mode") },
        Bool("limit-console-sessions", "limit_console_sessions") with { Set = SetSafeBool("pool.set_limit_console_sessions", "limit-console-sessions") },
        Text("vm-console-idle-timeout", "vm_console_idle_timeout") with { Set = SetSafeInt("pool.set_vm_console_idle_timeout", "vm-console-idle-timeout") },
    ];

    /// <summary>records.ml <c>get_consistent_field_or_default</c>: the hosts' common value, or "&lt;inconsistent&gt;".</summary>
    private static XeField HostsAgree(string name, string hostField, Func<object?, string> format) =>
        new()
        {
            Name = name,
            Get = async (row, ct) =>
            {
                var hosts = await row.Context.AllRecordsAsync("host", ct);
                if (hosts.Values.Any(h => !h.ContainsKey(hostField)))
                {
                    return null;
                }

                var values = hosts.Values.Select(h => format(h[hostField])).Distinct(StringComparer.Ordinal).ToArray();
                return values.Length == 1 ? values[0] : Inconsistent;
            },
        };
}
