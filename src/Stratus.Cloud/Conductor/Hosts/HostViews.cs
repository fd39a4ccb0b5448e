using System.Text.Json.Nodes;
using Stratus.Cloud.Conductor.Placement;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Conductor.Hosts;

/// <summary>A managed host as the admin API shows it: connection (no password), state, facts, claims, last error.</summary>
internal sealed class HostViews(PlacementService placement, CloudOptions options, TimeProvider time)
{
    public JsonObject Describe(HostLink link)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var state = placement.States().FirstOrDefault(s => s.Host == link.Host);
        var facts = link.Facts;
        return new JsonObject
        {
            ["name"] = link.Host,
            ["url"] = link.Connection.Url,
            ["user"] = link.Connection.User,
            ["service_id"] = link.ServiceId,
            ["state"] = link.IsUp(now, options.ServiceDownTime) ? "up" : "down",
            ["status"] = state is { Enabled: false } ? "disabled" : "enabled",
            ["last_seen_up"] = link.LastSeenUp is { } seen ? OpenStackJson.Naive(seen) : null,
            ["last_error"] = link.LastError,
            ["pool_hosts"] = new JsonArray([.. link.PoolHosts.Select(h => (JsonNode)JsonValue.Create(h))]),
            ["hypervisor_hostname"] = facts?.HypervisorHostname,
            ["host_ip"] = facts?.HostIp,
            ["vcpus"] = facts?.Vcpus,
            ["vcpus_used"] = state?.VcpusUsed,
            ["memory_mb"] = facts?.MemoryMb,
            ["memory_mb_used"] = state?.MemoryMbUsed,
            ["free_memory_mb"] = facts?.FreeMemoryMb,
            ["local_gb"] = facts?.LocalGb,
            ["local_gb_used"] = state?.LocalGbUsed,
            ["running_vms"] = state?.RunningVms,
            ["default_sr"] = facts?.DefaultSrUuid,
            ["storage"] = new JsonArray([.. (facts?.StorageRepositories ?? []).Select(sr => (JsonNode)new JsonObject
            {
                ["uuid"] = sr.Uuid,
                ["name"] = sr.Name,
                ["type"] = sr.Type,
                ["physical_size"] = sr.PhysicalSize,
                ["physical_utilisation"] = sr.PhysicalUtilisation,
                ["shared"] = sr.Shared,
            })]),
        };
    }
}
