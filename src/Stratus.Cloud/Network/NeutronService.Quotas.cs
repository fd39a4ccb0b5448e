using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using Stratus.Cloud.Network.Api;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Network;

/// <summary>
/// Per-project limits (neutron quotas extension). Unlimited (-1) unless an admin sets a limit; a create that would
/// go past a set limit is refused with neutron's OverQuota (409) and changes nothing.
/// </summary>
internal sealed partial class NeutronService
{
    /// <summary>Quota resource → the table that counts it.</summary>
    private static readonly Dictionary<string, string> QuotaTables = new(StringComparer.Ordinal)
    {
        ["network"] = "net_networks",
        ["subnet"] = "net_subnets",
        ["port"] = "net_ports",
        ["router"] = "net_routers",
        ["floatingip"] = "net_floating_ips",
        ["security_group"] = "net_security_groups",
        ["security_group_rule"] = "net_security_group_rules",
    };

    public Task<JsonObject> GetQuotaAsync(RequestContext caller, string projectId, bool details, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin && caller.ProjectId != projectId)
        {
            throw new ApiException(403, "Non-admin is not authorized to access quotas for another project", "HTTPForbidden");
        }

        return ReadAsync(async c =>
        {
            var limits = await LimitsAsync(c, null, projectId, cancellationToken);
            var quota = new JsonObject();
            foreach (var (resource, table) in QuotaTables)
            {
                quota[resource] = details
                    ? new JsonObject { ["limit"] = limits[resource], ["used"] = await CountAsync(c, null, table, projectId, cancellationToken), ["reserved"] = 0 }
                    : limits[resource];
            }

            return new JsonObject { ["quota"] = quota };
        }, cancellationToken);
    }

    public static JsonObject DefaultQuota() => new() { ["quota"] = new JsonObject(QuotaTables.Keys.Select(k => KeyValuePair.Create(k, (JsonNode?)(-1)))) };

    public Task<JsonObject> ListQuotasAsync(RequestContext caller, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin)
        {
            throw NeutronErrors.PolicyNotAuthorized("get_quota");
        }

        return ReadAsync(async c =>
        {
            var projects = await c.QueryAsync<string>(new CommandDefinition("SELECT DISTINCT project_id FROM net_quotas ORDER BY project_id", cancellationToken: cancellationToken));
            var list = new JsonArray();
            foreach (var project in projects)
            {
                var limits = await LimitsAsync(c, null, project, cancellationToken);
                var entry = new JsonObject(limits.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value)))
                {
                    ["project_id"] = project,
                    ["tenant_id"] = project,
                };
                list.Add(entry);
            }

            return new JsonObject { ["quotas"] = list };
        }, cancellationToken);
    }

    public Task<JsonObject> UpdateQuotaAsync(RequestContext caller, string projectId, JsonObject body, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin)
        {
            throw NeutronErrors.PolicyNotAuthorized("update_quota");
        }

        var quota = NeutronInput.Resource(body, "quota");
        var unknown = quota.Select(p => p.Key).Where(k => !QuotaTables.ContainsKey(k) && k is not ("project_id" or "tenant_id")).ToList();
        if (unknown.Count > 0)
        {
            throw new ApiException(404, $"Unknown quota resources ['{string.Join("', '", unknown)}'].", "QuotaResourceUnknown");
        }

        var values = QuotaTables.Keys.Where(quota.ContainsKey).ToDictionary(k => k, k => NeutronInput.Integer(quota, k, -1, int.MaxValue)!.Value, StringComparer.Ordinal);
        return WriteAsync(async (c, t) =>
        {
            foreach (var (resource, limit) in values)
            {
                await c.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO net_quotas (project_id, resource, hard_limit) VALUES (@projectId, @resource, @limit)
                    ON CONFLICT (project_id, resource) DO UPDATE SET hard_limit = excluded.hard_limit
                    """, new { projectId, resource, limit }, t, cancellationToken: cancellationToken));
            }

            var limits = await LimitsAsync(c, t, projectId, cancellationToken);
            return new JsonObject { ["quota"] = new JsonObject(limits.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))) };
        }, cancellationToken);
    }

    public Task ResetQuotaAsync(RequestContext caller, string projectId, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin)
        {
            throw NeutronErrors.PolicyNotAuthorized("delete_quota");
        }

        return WriteAsync((c, t) => c.ExecuteAsync(new CommandDefinition("DELETE FROM net_quotas WHERE project_id = @projectId", new { projectId }, t, cancellationToken: cancellationToken)), cancellationToken);
    }

    /// <summary>Refuses one more <paramref name="resource"/> for the project when that would pass its limit.</summary>
    private static async Task EnforceQuotaAsync(DbConnection c, DbTransaction t, string projectId, string resource, CancellationToken cancellationToken)
    {
        var limit = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT hard_limit FROM net_quotas WHERE project_id = @projectId AND resource = @resource", new { projectId, resource }, t, cancellationToken: cancellationToken));
        if (limit is { } max && max >= 0 && await CountAsync(c, t, QuotaTables[resource], projectId, cancellationToken) >= max)
        {
            throw NeutronErrors.Conflict("OverQuota", $"Quota exceeded for resources: ['{resource}'].");
        }
    }

    private static async Task<Dictionary<string, long>> LimitsAsync(DbConnection c, DbTransaction? t, string projectId, CancellationToken cancellationToken)
    {
        var rows = await c.QueryAsync<(string Resource, long Limit)>(new CommandDefinition(
            "SELECT resource, hard_limit FROM net_quotas WHERE project_id = @projectId", new { projectId }, t, cancellationToken: cancellationToken));
        var limits = QuotaTables.Keys.ToDictionary(k => k, _ => -1L, StringComparer.Ordinal);
        foreach (var (resource, limit) in rows)
        {
            limits[resource] = limit;
        }

        return limits;
    }

    private static Task<long> CountAsync(DbConnection c, DbTransaction? t, string table, string projectId, CancellationToken cancellationToken) =>
        c.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {table} WHERE project_id = @projectId", new { projectId }, t, cancellationToken: cancellationToken));
}
