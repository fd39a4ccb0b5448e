using System.Text.Json;
using Stratus.Cloud.Compute.Api;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.OpenStack.Microversions;

namespace Stratus.Cloud.Compute.Servers;

/// <summary>
/// /servers/{id}/os-instance-actions (nova instance_actions.py), newest first. Deleted servers' actions are readable
/// from 2.21; paging, changes-since/-before and updated_at from 2.58. Events: admins always see them with their
/// traceback (here: the full explanation, e.g. every host the scheduler rejected and why); other project readers see
/// them without it from 2.51. From 2.62 events carry the obfuscated hostId, and the host itself for admins.
/// </summary>
internal static class InstanceActionEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/servers/{id}/os-instance-actions", ListAsync);
        group.MapGet("/servers/{id}/os-instance-actions/{requestId}", ShowAsync);
    }

    private static Task<Instance> InstanceAsync(HttpContext http, string id, ServerAccess access) =>
        access.GetAsync(http.Caller(), id, http.RequestAborted, includeDeleted: ComputeMicroversionFilter.Of(http).AtLeast(2, 21));

    /// <summary>When the action last changed: its finish or its latest event (nova bumps updated_at on each event).</summary>
    public static DateTime UpdatedAt(InstanceAction action)
    {
        var latest = action.FinishTime ?? action.StartTime;
        foreach (var e in action.Events)
        {
            var time = e.FinishTime ?? e.StartTime;
            if (time > latest)
            {
                latest = time;
            }
        }

        return latest;
    }

    private static async Task<IResult> ListAsync(HttpContext http, string id, ServerAccess access, IInstanceStore store, ServiceUrls urls)
    {
        var caller = http.Caller();
        var version = ComputeMicroversionFilter.Of(http);
        var instance = await InstanceAsync(http, id, access);
        ComputePolicy.RequireReader(caller, "os_compute_api:os-instance-actions:list");
        IEnumerable<InstanceAction> actions = (await store.ListActionsAsync(instance.Id, http.RequestAborted)).Reverse();
        string? next = null;
        var withUpdated = version.AtLeast(2, 58);
        if (withUpdated)
        {
            var request = http.Request;
            DateTime? since = null;
            if (NovaQuery.Get(request, "changes-since") is { } sinceText)
            {
                since = NovaSchema.ParseIsoTime(sinceText) ?? throw NovaSchema.InvalidQuery("changes-since", sinceText, $"{PyRepr.Quote(sinceText)} is not a 'date-time'");
                actions = actions.Where(a => UpdatedAt(a) >= since);
            }

            if (version.AtLeast(2, 66) && NovaQuery.Get(request, "changes-before") is { } beforeText)
            {
                var before = NovaSchema.ParseIsoTime(beforeText) ?? throw NovaSchema.InvalidQuery("changes-before", beforeText, $"{PyRepr.Quote(beforeText)} is not a 'date-time'");
                if (since is { } s && before < s)
                {
                    throw ApiException.BadRequest("The value of changes-since must be less than or equal to changes-before.");
                }

                actions = actions.Where(a => UpdatedAt(a) <= before);
            }

            var list = actions.ToList();
            if (NovaQuery.Marker(request) is { } marker)
            {
                var index = list.FindIndex(a => a.RequestId == marker);
                if (index < 0)
                {
                    throw ApiException.BadRequest($"Marker {marker} could not be found.");
                }

                list = list.Skip(index + 1).ToList();
            }

            list = list.Take(NovaQuery.Limit(request)).ToList();
            next = NovaQuery.NextLink(request, $"{urls.Compute}/servers/{id}/os-instance-actions", list.Count, list.Count > 0 ? list[^1].RequestId : null);
            actions = list;
        }

        var page = actions.ToList();
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("instanceActions");
            foreach (var action in page)
            {
                w.WriteStartObject();
                WriteAction(w, action, withUpdated);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNextLink("links", next);
            w.WriteEndObject();
        });
    }

    private static void WriteAction(Utf8JsonWriter w, InstanceAction action, bool withUpdated)
    {
        w.WriteString("action", action.Action);
        w.WriteString("instance_uuid", action.InstanceId.ToString("D"));
        w.WriteString("request_id", action.RequestId);
        w.WriteString("user_id", action.UserId);
        w.WriteString("project_id", action.ProjectId);
        w.WriteString("start_time", OpenStackJson.Naive(action.StartTime));
        w.WriteStringOrNull("message", action.Message);
        if (withUpdated)
        {
            w.WriteString("updated_at", OpenStackJson.Naive(UpdatedAt(action)));
        }
    }

    private static async Task<IResult> ShowAsync(HttpContext http, string id, string requestId, ServerAccess access, IInstanceStore store)
    {
        var caller = http.Caller();
        var version = ComputeMicroversionFilter.Of(http);
        var instance = await InstanceAsync(http, id, access);
        ComputePolicy.RequireReader(caller, "os_compute_api:os-instance-actions:show");
        var action = (await store.ListActionsAsync(instance.Id, http.RequestAborted)).FirstOrDefault(a => a.RequestId == requestId)
            ?? throw ApiException.NotFound($"Action {requestId} not found", "InstanceActionNotFound");
        var showEvents = caller.IsAdmin || version.AtLeast(2, 51);
        var showTraceback = caller.IsAdmin;
        var showHost = caller.IsAdmin && version.AtLeast(2, 62);
        var showHostId = version.AtLeast(2, 62);
        var projectId = string.IsNullOrEmpty(action.ProjectId) ? instance.ProjectId : action.ProjectId;
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("instanceAction");
            WriteAction(w, action, version.AtLeast(2, 58));
            if (showEvents)
            {
                w.WriteStartArray("events");
                foreach (var e in action.Events.Reverse())
                {
                    w.WriteStartObject();
                    w.WriteString("event", e.Event);
                    w.WriteString("start_time", OpenStackJson.Naive(e.StartTime));
                    w.WriteStringOrNull("finish_time", e.FinishTime is { } finished ? OpenStackJson.Naive(finished) : null);
                    w.WriteStringOrNull("result", e.Result);
                    if (showTraceback)
                    {
                        w.WriteStringOrNull("traceback", e.Details);
                    }

                    if (showHost)
                    {
                        w.WriteStringOrNull("host", e.Host);
                    }

                    if (showHostId)
                    {
                        w.WriteString("hostId", string.IsNullOrEmpty(e.Host) ? "" : Sha224.HexDigest(projectId + e.Host));
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });
    }
}
