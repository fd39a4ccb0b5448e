using Stratus.Cloud.Compute.Api;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Conductor;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.OpenStack.Microversions;

namespace Stratus.Cloud.Compute.Servers;

/// <summary>
/// /servers (nova servers.py): list, detail, show, create, rename/update and delete. Handlers are thin: validation in
/// <see cref="ServerCreateRequest"/>, creation in <see cref="ServerCreator"/>, listing in <see cref="ServerLister"/>,
/// the shapes in <see cref="ServerView"/>.
/// </summary>
internal static class ServerEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/servers", (HttpContext http, ServerLister lister) => lister.ListAsync(http, detail: false));
        group.MapGet("/servers/detail", (HttpContext http, ServerLister lister) => lister.ListAsync(http, detail: true));
        group.MapGet("/servers/{id}", ShowAsync);
        group.MapPost("/servers", CreateAsync);
        group.MapPut("/servers/{id}", UpdateAsync);
        group.MapDelete("/servers/{id}", DeleteAsync);
    }

    private static async Task<IResult> ShowAsync(HttpContext http, string id, ServerAccess access, ServerViewLoader views)
    {
        var caller = http.Caller();
        var version = ComputeMicroversionFilter.Of(http);
        var instance = await access.GetAsync(caller, id, http.RequestAborted);
        var context = await views.LoadAsync(caller, version, [instance], http.RequestAborted);
        return Single(instance, context, ServerViewKind.Show);
    }

    public static NovaResult Single(Instance instance, ServerViewContext context, ServerViewKind kind, int status = 200) => new(status, w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("server");
        ServerView.WriteFull(w, instance, context, kind);
        w.WriteEndObject();
    });

    private static async Task<IResult> CreateAsync(HttpContext http, ServerCreator creator, ServerViewLoader views, ServiceUrls urls)
    {
        var caller = http.Caller();
        var version = ComputeMicroversionFilter.Of(http);
        ComputePolicy.RequireMember(caller, "os_compute_api:servers:create");
        var request = ServerCreateRequest.Parse(await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted), version);
        var result = await creator.CreateAsync(caller, version, request, http.RequestAborted);
        if (request.ReturnReservationId)
        {
            return new NovaResult(202, w =>
            {
                w.WriteStartObject();
                w.WriteString("reservation_id", result.ReservationId);
                w.WriteEndObject();
            });
        }

        var context = views.Bare(caller, version);
        http.Response.Headers.Location = context.SelfPrefix + result.First.Id.ToString("D");
        return new NovaResult(202, w => ServerView.WriteCreated(w, result.First, context, request.RequestedSecurityGroups, result.AdminPass));
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string id, ServerAccess access, ServerViewLoader views, IInstanceStore store)
    {
        var caller = http.Caller();
        var version = ComputeMicroversionFilter.Of(http);
        var instance = await access.GetAsync(caller, id, http.RequestAborted);
        ComputePolicy.RequireMember(caller, "os_compute_api:servers:update");
        var body = NovaSchema.Root(await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted), "server");
        List<string> allowed = ["name", "OS-DCF:diskConfig", "accessIPv4", "accessIPv6"];
        if (ServerView.HasDescription(version))
        {
            allowed.Add("description");
        }

        NovaSchema.Keys(body, "server", allowed);
        var name = body.ContainsKey("name") ? NovaSchema.Name(body["name"], "name").Trim() : null;
        var diskConfig = body.ContainsKey("OS-DCF:diskConfig") ? NovaSchema.Enum(body["OS-DCF:diskConfig"], "OS-DCF:diskConfig", "AUTO", "MANUAL") : null;
        var ipv4 = body.ContainsKey("accessIPv4") ? NovaSchema.Ipv4(body["accessIPv4"], "accessIPv4") : null;
        var ipv6 = body.ContainsKey("accessIPv6") ? NovaSchema.Ipv6(body["accessIPv6"], "accessIPv6") : null;
        var hasDescription = body.ContainsKey("description");
        var description = hasDescription ? NovaSchema.Description(body["description"], "description") : null;
        var updated = await store.UpdateAsync(instance.Id, i => i.Deleted ? null : i with
        {
            Name = name ?? i.Name,
            DiskConfig = diskConfig ?? i.DiskConfig,
            AccessIpv4 = ipv4 ?? i.AccessIpv4,
            AccessIpv6 = ipv6 ?? i.AccessIpv6,
            Description = hasDescription ? description : i.Description,
        }, http.RequestAborted) ?? throw ApiException.NotFound("Instance could not be found", "InstanceNotFound");
        var context = await views.LoadAsync(caller, version, [updated], http.RequestAborted);
        return Single(updated, context, ServerViewKind.Update);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string id, ServerAccess access, IInstanceStore store, IConductor conductor, TimeProvider time)
    {
        var caller = http.Caller();
        var instance = await access.GetAsync(caller, id, http.RequestAborted);
        ComputePolicy.RequireMember(caller, "os_compute_api:servers:delete");
        await StartDeleteAsync(instance, caller, store, conductor, time, http.RequestAborted);
        return NovaResult.Empty(204);
    }

    /// <summary>
    /// nova compute API delete: refused while locked (for non-admins); a second delete of a server already deleting is
    /// ignored; otherwise task_state becomes deleting, the "delete" action is recorded and the conductor tears it down.
    /// </summary>
    public static async Task StartDeleteAsync(Instance instance, RequestContext caller, IInstanceStore store, IConductor conductor, TimeProvider time, CancellationToken cancellationToken)
    {
        var id = instance.Id.ToString("D");
        if (instance.Locked && !caller.IsAdmin)
        {
            throw ApiException.Conflict($"Instance {id} is locked", "InstanceIsLocked");
        }

        if (instance.TaskState == TaskStates.Deleting)
        {
            return;
        }

        var marked = await store.UpdateAsync(instance.Id, i => i.Deleted || i.TaskState == TaskStates.Deleting ? null : i with { TaskState = TaskStates.Deleting }, cancellationToken);
        if (marked is null)
        {
            return;
        }

        await store.StartActionAsync(new InstanceAction(instance.Id, "delete", caller.RequestId, caller.UserId, caller.ProjectId ?? instance.ProjectId, time.GetUtcNow().UtcDateTime, null, null, []), cancellationToken);
        await conductor.DeleteAsync(instance.Id, caller.RequestId, cancellationToken);
    }
}
