using System.Text.Json.Nodes;
using Stratus.Cloud.Compute.Api;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Compute.Quotas;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Compute.Servers;

/// <summary>
/// /servers/{id}/metadata (nova server_metadata.py): read by project readers; changed by members while the server is
/// active, paused, suspended or stopped and not locked; the total is bounded by the metadata_items quota (403).
/// </summary>
internal static class ServerMetadataEndpoints
{
    private static readonly string[] MutableStates = [VmStates.Active, VmStates.Paused, VmStates.Suspended, VmStates.Stopped];

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/servers/{id}/metadata", IndexAsync);
        group.MapPost("/servers/{id}/metadata", (HttpContext http, string id, ServerAccess access, IInstanceStore store, IQuotaStore quotas) => ChangeAsync(http, id, access, store, quotas, replace: false));
        group.MapPut("/servers/{id}/metadata", (HttpContext http, string id, ServerAccess access, IInstanceStore store, IQuotaStore quotas) => ChangeAsync(http, id, access, store, quotas, replace: true));
        group.MapGet("/servers/{id}/metadata/{key}", ShowAsync);
        group.MapPut("/servers/{id}/metadata/{key}", UpdateItemAsync);
        group.MapDelete("/servers/{id}/metadata/{key}", DeleteItemAsync);
    }

    private static async Task<IResult> IndexAsync(HttpContext http, string id, ServerAccess access)
    {
        var instance = await access.GetAsync(http.Caller(), id, http.RequestAborted);
        return Map("metadata", instance.Metadata);
    }

    private static async Task<IResult> ShowAsync(HttpContext http, string id, string key, ServerAccess access)
    {
        var instance = await access.GetAsync(http.Caller(), id, http.RequestAborted);
        return instance.Metadata.TryGetValue(key, out var value)
            ? Map("meta", new Dictionary<string, string> { [key] = value })
            : throw ApiException.NotFound("Metadata item was not found");
    }

    private static async Task<IResult> ChangeAsync(HttpContext http, string id, ServerAccess access, IInstanceStore store, IQuotaStore quotas, bool replace)
    {
        var caller = http.Caller();
        var instance = await access.GetAsync(caller, id, http.RequestAborted);
        ComputePolicy.RequireMember(caller, replace ? "os_compute_api:server-metadata:update_all" : "os_compute_api:server-metadata:create");
        var body = await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted);
        var metadata = NovaSchema.Metadata(Only(body, "metadata"), "metadata");
        var updated = await ApplyAsync(instance, caller, store, quotas, current =>
        {
            var next = replace ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(current, StringComparer.Ordinal);
            foreach (var (k, v) in metadata)
            {
                next[k] = v;
            }

            return next;
        }, "update metadata", http.RequestAborted);
        return Map("metadata", updated.Metadata);
    }

    private static async Task<IResult> UpdateItemAsync(HttpContext http, string id, string key, ServerAccess access, IInstanceStore store, IQuotaStore quotas)
    {
        var caller = http.Caller();
        var instance = await access.GetAsync(caller, id, http.RequestAborted);
        ComputePolicy.RequireMember(caller, "os_compute_api:server-metadata:update");
        var body = await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted);
        var meta = NovaSchema.Metadata(Only(body, "meta"), "meta");
        if (meta.Count != 1)
        {
            throw NovaSchema.Invalid("meta", body["meta"], meta.Count == 0 ? $"{PyRepr.Repr(body["meta"])} does not have enough properties" : $"{PyRepr.Repr(body["meta"])} has too many properties");
        }

        if (!meta.TryGetValue(key, out var value))
        {
            throw ApiException.BadRequest("Request body and URI mismatch");
        }

        await ApplyAsync(instance, caller, store, quotas, current => new Dictionary<string, string>(current, StringComparer.Ordinal) { [key] = value }, "update metadata", http.RequestAborted);
        return Map("meta", meta);
    }

    private static async Task<IResult> DeleteItemAsync(HttpContext http, string id, string key, ServerAccess access, IInstanceStore store, IQuotaStore quotas)
    {
        var caller = http.Caller();
        var instance = await access.GetAsync(caller, id, http.RequestAborted);
        ComputePolicy.RequireMember(caller, "os_compute_api:server-metadata:delete");
        if (!instance.Metadata.ContainsKey(key))
        {
            throw ApiException.NotFound("Metadata item was not found");
        }

        await ApplyAsync(instance, caller, store, quotas, current =>
        {
            var next = new Dictionary<string, string>(current, StringComparer.Ordinal);
            next.Remove(key);
            return next;
        }, "delete metadata", http.RequestAborted);
        return NovaResult.Empty(204);
    }

    private static JsonNode? Only(JsonObject body, string key)
    {
        if (!body.ContainsKey(key))
        {
            throw ApiException.BadRequest($"{PyRepr.Quote(key)} is a required property");
        }

        if (body.Count > 1)
        {
            throw ApiException.BadRequest(NovaSchema.AdditionalMessage(body.Select(p => p.Key).Where(k => k != key).ToList()));
        }

        return body[key];
    }

    private static async Task<Instance> ApplyAsync(
        Instance instance, RequestContext caller, IInstanceStore store, IQuotaStore quotas, Func<IReadOnlyDictionary<string, string>, Dictionary<string, string>> change, string action,
        CancellationToken cancellationToken)
    {
        var id = instance.Id.ToString("D");
        var limit = (await quotas.LimitsAsync(instance.ProjectId, cancellationToken))[QuotaResources.MetadataItems];
        ApiException? problem = null;
        var updated = await store.UpdateAsync(instance.Id, current =>
        {
            problem = Check(current, caller, action, id);
            if (problem is not null)
            {
                return null;
            }

            var next = change(current.Metadata);
            if (limit >= 0 && next.Count > limit)
            {
                problem = ApiException.Forbidden($"Maximum number of metadata items exceeds {limit}", "MetadataLimitExceeded");
                return null;
            }

            return current with { Metadata = next };
        }, cancellationToken);
        return updated ?? throw problem ?? ServerAccess.NotFound(id);
    }

    private static ApiException? Check(Instance instance, RequestContext caller, string action, string id)
    {
        if (instance.Deleted)
        {
            return ServerAccess.NotFound(id);
        }

        if (instance.Locked && !caller.IsAdmin)
        {
            return ApiException.Conflict($"Instance {id} is locked", "InstanceIsLocked");
        }

        return MutableStates.Contains(instance.VmState) ? null : InstanceStateCheck.Conflict(action, id, "vm_state", instance.VmState);
    }

    private static NovaResult Map(string name, IReadOnlyDictionary<string, string> values) => NovaResult.Ok(w =>
    {
        w.WriteStartObject();
        w.WriteStringMap(name, values);
        w.WriteEndObject();
    });
}
