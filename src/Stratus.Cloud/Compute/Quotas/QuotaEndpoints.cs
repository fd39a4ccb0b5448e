using Stratus.Cloud.Compute.Api;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Identity;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.OpenStack.Microversions;

namespace Stratus.Cloud.Compute.Quotas;

/// <summary>
/// /os-quota-sets/{project_id} (nova quota_sets.py): show, detail (with usage), defaults for the project's own members
/// and admins; update and delete for admins. Limits below what a project already uses are refused unless forced.
/// </summary>
internal static class QuotaEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/os-quota-sets/{projectId}", ShowAsync);
        group.MapGet("/os-quota-sets/{projectId}/detail", DetailAsync);
        group.MapGet("/os-quota-sets/{projectId}/defaults", DefaultsAsync);
        group.MapPut("/os-quota-sets/{projectId}", UpdateAsync);
        group.MapDelete("/os-quota-sets/{projectId}", DeleteAsync);
    }

    /// <summary>What a project uses of each quota resource nova counts (instances, cores, ram).</summary>
    public static async Task<Dictionary<string, long>> UsageAsync(IInstanceStore instances, string projectId, CancellationToken cancellationToken)
    {
        var usage = await instances.UsageAsync(projectId, cancellationToken);
        return new Dictionary<string, long>(StringComparer.Ordinal)
        {
            [QuotaResources.Instances] = usage.Instances,
            [QuotaResources.Cores] = usage.Cores,
            [QuotaResources.Ram] = usage.RamMb,
        };
    }

    private static async Task CheckReadableAsync(HttpContext http, string projectId, string rule)
    {
        var caller = http.Caller();
        if (!caller.IsAdmin && caller.ProjectId != projectId)
        {
            throw ComputePolicy.Denied(rule);
        }

        // nova's identity.verify_project_id: a project Keystone does not know is a 400.
        if (http.RequestServices.GetService<IIdentityDirectory>() is { } directory && await directory.FindProjectAsync(projectId, http.RequestAborted) is null)
        {
            throw ApiException.BadRequest($"Project ID {projectId} is not a valid project.");
        }
    }

    private static async Task<IResult> ShowAsync(HttpContext http, string projectId, IQuotaStore quotas)
    {
        await CheckReadableAsync(http, projectId, "os_compute_api:os-quota-sets:show");
        var limits = await quotas.LimitsAsync(projectId, http.RequestAborted);
        return Write(ComputeMicroversionFilter.Of(http), projectId, limits);
    }

    private static async Task<IResult> DefaultsAsync(HttpContext http, string projectId)
    {
        await CheckReadableAsync(http, projectId, "os_compute_api:os-quota-sets:defaults");
        return Write(ComputeMicroversionFilter.Of(http), projectId, QuotaResources.Defaults);
    }

    private static async Task<IResult> DetailAsync(HttpContext http, string projectId, IQuotaStore quotas, IInstanceStore instances)
    {
        await CheckReadableAsync(http, projectId, "os_compute_api:os-quota-sets:detail");
        var version = ComputeMicroversionFilter.Of(http);
        var limits = await quotas.LimitsAsync(projectId, http.RequestAborted);
        var usage = await UsageAsync(instances, projectId, http.RequestAborted);
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("quota_set");
            w.WriteString("id", projectId);
            foreach (var resource in QuotaResources.Visible(version))
            {
                w.WriteStartObject(resource);
                w.WriteNumber("in_use", usage.GetValueOrDefault(resource));
                w.WriteNumber("limit", limits[resource]);
                w.WriteNumber("reserved", 0);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string projectId, IQuotaStore quotas, IInstanceStore instances)
    {
        ComputePolicy.RequireAdmin(http.Caller(), "os_compute_api:os-quota-sets:update");
        await CheckReadableAsync(http, projectId, "os_compute_api:os-quota-sets:update");
        var version = ComputeMicroversionFilter.Of(http);
        var body = NovaSchema.Root(await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted), "quota_set");
        var visible = QuotaResources.Visible(version);
        var allowed = visible.Append("force").Concat(version.AtLeast(2, 36) ? [] : new[] { "networks" }).ToList();
        NovaSchema.Keys(body, "quota_set", allowed);
        if (body.ContainsKey("networks"))
        {
            throw ApiException.BadRequest("The networks quota has been removed");
        }

        var force = body.ContainsKey("force") && NovaSchema.Boolean(body["force"], "force");
        var requested = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, node) in body)
        {
            if (key == "force" || node is null)
            {
                continue;
            }

            requested[key] = NovaSchema.Integer(node, key, -1, int.MaxValue, allowNegative: true);
        }

        if (!force)
        {
            var usage = await UsageAsync(instances, projectId, http.RequestAborted);
            foreach (var (resource, limit) in requested)
            {
                var used = usage.GetValueOrDefault(resource);
                if (limit != -1 && limit < used)
                {
                    throw ApiException.BadRequest($"Quota limit {limit} for {resource} must be greater than or equal to already used and reserved {used}.");
                }
            }
        }

        await quotas.SetAsync(projectId, requested, http.RequestAborted);
        var limits = await quotas.LimitsAsync(projectId, http.RequestAborted);
        return Write(version, null, limits);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string projectId, IQuotaStore quotas)
    {
        ComputePolicy.RequireAdmin(http.Caller(), "os_compute_api:os-quota-sets:delete");
        await quotas.ResetAsync(projectId, http.RequestAborted);
        return NovaResult.Empty(202);
    }

    private static NovaResult Write(Microversion version, string? projectId, IReadOnlyDictionary<string, long> limits) => NovaResult.Ok(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("quota_set");
        if (projectId is not null)
        {
            w.WriteString("id", projectId);
        }

        foreach (var resource in QuotaResources.Visible(version))
        {
            w.WriteNumber(resource, limits[resource]);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>GET /limits (nova limits.py and views/limits.py): absolute limits and what the project uses.</summary>
    public static async Task<IResult> LimitsAsync(HttpContext http, IQuotaStore quotas, IInstanceStore instances)
    {
        var caller = http.Caller();
        var version = ComputeMicroversionFilter.Of(http);
        var projectId = caller.ProjectId ?? "";
        if (NovaQuery.Get(http.Request, "tenant_id") is { Length: > 0 } other && other != projectId)
        {
            ComputePolicy.RequireAdmin(caller, "os_compute_api:limits:other_project");
            projectId = other;
        }

        var limits = await quotas.LimitsAsync(projectId, http.RequestAborted);
        var usage = await UsageAsync(instances, projectId, http.RequestAborted);
        var withoutProxies = version.AtLeast(2, 36);
        var withoutImageMeta = version.AtLeast(2, 39);
        var withoutPersonality = version.AtLeast(2, 57);
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("limits");
            w.WriteStartArray("rate");
            w.WriteEndArray();
            w.WriteStartObject("absolute");
            w.WriteNumber("maxTotalRAMSize", limits[QuotaResources.Ram]);
            w.WriteNumber("maxTotalInstances", limits[QuotaResources.Instances]);
            w.WriteNumber("maxTotalCores", limits[QuotaResources.Cores]);
            w.WriteNumber("maxTotalKeypairs", limits[QuotaResources.KeyPairs]);
            if (!withoutProxies)
            {
                w.WriteNumber("maxTotalFloatingIps", limits["floating_ips"]);
            }

            w.WriteNumber("maxServerMeta", limits[QuotaResources.MetadataItems]);
            if (!withoutImageMeta)
            {
                w.WriteNumber("maxImageMeta", limits[QuotaResources.MetadataItems]);
            }

            if (!withoutPersonality)
            {
                w.WriteNumber("maxPersonality", limits["injected_files"]);
                w.WriteNumber("maxPersonalitySize", limits["injected_file_content_bytes"]);
            }

            if (!withoutProxies)
            {
                w.WriteNumber("maxSecurityGroups", limits["security_groups"]);
                w.WriteNumber("maxSecurityGroupRules", limits["security_group_rules"]);
            }

            w.WriteNumber("maxServerGroups", limits["server_groups"]);
            w.WriteNumber("maxServerGroupMembers", limits["server_group_members"]);
            w.WriteNumber("totalRAMUsed", usage[QuotaResources.Ram]);
            w.WriteNumber("totalCoresUsed", usage[QuotaResources.Cores]);
            w.WriteNumber("totalInstancesUsed", usage[QuotaResources.Instances]);
            if (!withoutProxies)
            {
                // nova counts these nova-network resources in its own database, which with Neutron holds none.
                w.WriteNumber("totalFloatingIpsUsed", 0);
                w.WriteNumber("totalSecurityGroupsUsed", 0);
            }

            // Server groups are not implemented, so none is in use.
            w.WriteNumber("totalServerGroupsUsed", 0);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }
}
