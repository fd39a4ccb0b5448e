using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Stratus.Cloud.Compute.Api;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Conductor;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.OpenStack.Microversions;

namespace Stratus.Cloud.Compute.Servers;

/// <summary>
/// POST /servers/{id}/action (contract §4.7): os-start, os-stop, reboot, os-getConsoleOutput, lock, unlock,
/// forceDelete and restore. Each state change checks nova's preconditions, moves task_state, records the instance
/// action and hands the work to the conductor; the console log is the VM's real serial log through the conductor.
/// </summary>
internal static partial class ServerActionEndpoints
{
    /// <summary>nova actions Stratus does not implement: a clear 501 rather than "no such action".</summary>
    private static readonly string[] Unimplemented =
    [
        "rebuild", "resize", "confirmResize", "revertResize", "createImage", "pause", "unpause", "suspend", "resume", "shelve", "shelveOffload", "unshelve",
        "rescue", "unrescue", "migrate", "os-migrateLive", "evacuate", "changePassword", "createBackup", "addSecurityGroup", "removeSecurityGroup",
        "addFloatingIp", "removeFloatingIp", "os-resetState", "injectNetworkInfo", "resetNetwork", "trigger_crash_dump", "os-getVNCConsole",
        "os-getSPICEConsole", "os-getSerialConsole", "os-getRDPConsole", "addFixedIp", "removeFixedIp",
    ];

    public static void Map(RouteGroupBuilder group) => group.MapPost("/servers/{id}/action", ActionAsync);

    internal sealed class Context(ServerAccess access, IInstanceStore store, IConductor conductor, TimeProvider time)
    {
        public ServerAccess Access => access;

        public IInstanceStore Store => store;

        public IConductor Conductor => conductor;

        public TimeProvider Time => time;
    }

    private static async Task<IResult> ActionAsync(HttpContext http, string id, Context context)
    {
        var caller = http.Caller();
        var version = ComputeMicroversionFilter.Of(http);
        var body = await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted);
        if (body.Count != 1)
        {
            throw ApiException.BadRequest("Malformed request body");
        }

        var (action, argument) = body.First();
        return action switch
        {
            "os-start" => await ChangeStateAsync(http, id, context, "start", "start", i => InstanceStateCheck.Problem(i, "start", caller.IsAdmin, [VmStates.Stopped], [null]),
                i => i with { TaskState = TaskStates.PoweringOn }, (c, i, r, ct) => c.StartAsync(i, r, ct)),
            "os-stop" => await ChangeStateAsync(http, id, context, "stop", "stop", i => InstanceStateCheck.Problem(i, "stop", caller.IsAdmin, [VmStates.Active, VmStates.Error], [null]),
                i => i with { TaskState = TaskStates.PoweringOff }, (c, i, r, ct) => c.StopAsync(i, r, ct)),
            "reboot" => await RebootAsync(http, id, context, argument),
            "os-getConsoleOutput" => await ConsoleOutputAsync(http, id, context, argument),
            "lock" => await LockAsync(http, id, context, argument, version),
            "unlock" => await UnlockAsync(http, id, context),
            "forceDelete" => await ForceDeleteAsync(http, id, context),
            "restore" => await RestoreAsync(http, id, context),
            _ when Unimplemented.Contains(action) => throw new ApiException(501, $"The '{action}' action is not implemented by this cloud."),
            _ => throw ApiException.BadRequest($"There is no such action: {action}"),
        };
    }

    private static async Task<IResult> ChangeStateAsync(
        HttpContext http,
        string id,
        Context context,
        string actionName,
        string rule,
        Func<Instance, ApiException?> problem,
        Func<Instance, Instance> change,
        Func<IConductor, Guid, string, CancellationToken, Task> work)
    {
        var caller = http.Caller();
        var instance = await context.Access.GetAsync(caller, id, http.RequestAborted);
        ComputePolicy.RequireMember(caller, $"os_compute_api:servers:{rule}");
        if (problem(instance) is { } refused)
        {
            throw refused;
        }

        ApiException? raced = null;
        var changed = await context.Store.UpdateAsync(instance.Id, current =>
        {
            raced = current.Deleted ? ServerAccess.NotFound(id) : problem(current);
            return raced is null ? change(current) : null;
        }, http.RequestAborted);
        if (changed is null)
        {
            throw raced ?? ServerAccess.NotFound(id);
        }

        var now = context.Time.GetUtcNow().UtcDateTime;
        await context.Store.StartActionAsync(new InstanceAction(instance.Id, actionName, caller.RequestId, caller.UserId, caller.ProjectId ?? instance.ProjectId, now, null, null, []), http.RequestAborted);
        await work(context.Conductor, instance.Id, caller.RequestId, http.RequestAborted);
        return NovaResult.Empty(202);
    }

    private static Task<IResult> RebootAsync(HttpContext http, string id, Context context, JsonNode? argument)
    {
        if (argument is not JsonObject reboot)
        {
            throw NovaSchema.TypeError("reboot", argument, "object");
        }

        NovaSchema.Keys(reboot, "reboot", ["type"], "type");
        var type = NovaSchema.Enum(reboot["type"], "type", "HARD", "Hard", "hard", "SOFT", "Soft", "soft").ToUpperInvariant();
        var caller = http.Caller();
        var hard = type == "HARD";
        return ChangeStateAsync(http, id, context, "reboot", "reboot",
            i => InstanceStateCheck.Problem(i, "reboot", caller.IsAdmin, InstanceStateCheck.AllowHardReboot, InstanceStateCheck.AllowReboot)
                ?? (hard
                    ? null
                    : InstanceStateCheck.Problem(i, "reboot", caller.IsAdmin, InstanceStateCheck.AllowSoftReboot, [null])),
            i => i with { TaskState = hard ? TaskStates.RebootingHard : TaskStates.Rebooting },
            (c, i, r, ct) => c.RebootAsync(i, hard, r, ct));
    }

    private static async Task<IResult> ConsoleOutputAsync(HttpContext http, string id, Context context, JsonNode? argument)
    {
        var caller = http.Caller();
        if (argument is not JsonObject request)
        {
            throw NovaSchema.TypeError("os-getConsoleOutput", argument, "object");
        }

        NovaSchema.Keys(request, "os-getConsoleOutput", ["length"]);
        int? length = null;
        if (request["length"] is { } lengthNode)
        {
            var value = NovaSchema.Integer(lengthNode, "length", -1, int.MaxValue, allowNegative: true);
            length = value < 0 ? null : (int)value;
        }

        var instance = await context.Access.GetAsync(caller, id, http.RequestAborted);
        ComputePolicy.RequireReader(caller, "os_compute_api:os-console-output");
        if (string.IsNullOrEmpty(instance.Host))
        {
            throw ApiException.Conflict($"Instance {id} is not ready", "InstanceNotReady");
        }

        var output = length == 0 ? "" : await context.Conductor.ConsoleOutputAsync(instance.Id, length, http.RequestAborted);
        output = Tail(output, length);
        // nova strips characters that are not valid in XML 1.0 (console_output.py).
        output = InvalidXml().Replace(output, "");
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("output", output);
            w.WriteEndObject();
        });
    }

    /// <summary>nova compute manager _tail_log: the last N '\n'-separated parts; 0 gives nothing, null everything.</summary>
    public static string Tail(string log, int? lines)
    {
        if (lines is not { } n)
        {
            return log;
        }

        if (n == 0)
        {
            return "";
        }

        var parts = log.Split('\n');
        return parts.Length <= n ? log : string.Join('\n', parts[^n..]);
    }

    private static async Task<IResult> LockAsync(HttpContext http, string id, Context context, JsonNode? argument, Microversion version)
    {
        var caller = http.Caller();
        string? reason = null;
        if (version.AtLeast(2, 73) && argument is not null)
        {
            if (argument is not JsonObject lockBody)
            {
                throw NovaSchema.TypeError("lock", argument, "object", "null");
            }

            NovaSchema.Keys(lockBody, "lock", ["locked_reason"]);
            reason = lockBody.ContainsKey("locked_reason") ? NovaSchema.String(lockBody["locked_reason"], "locked_reason", 0, 255) : null;
        }

        var instance = await context.Access.GetAsync(caller, id, http.RequestAborted);
        ComputePolicy.RequireMember(caller, "os_compute_api:os-lock-server:lock");
        await context.Store.UpdateAsync(instance.Id, i => i with { Locked = true, LockedReason = reason }, http.RequestAborted);
        await RecordAsync(context, instance, caller, "lock", http.RequestAborted);
        return NovaResult.Empty(202);
    }

    private static async Task<IResult> UnlockAsync(HttpContext http, string id, Context context)
    {
        var caller = http.Caller();
        var instance = await context.Access.GetAsync(caller, id, http.RequestAborted);
        ComputePolicy.RequireMember(caller, "os_compute_api:os-lock-server:unlock");
        await context.Store.UpdateAsync(instance.Id, i => i with { Locked = false, LockedReason = null }, http.RequestAborted);
        await RecordAsync(context, instance, caller, "unlock", http.RequestAborted);
        return NovaResult.Empty(202);
    }

    /// <summary>A lock or unlock completes at once: its action starts and finishes together.</summary>
    private static async Task RecordAsync(Context context, Instance instance, RequestContext caller, string action, CancellationToken cancellationToken)
    {
        var now = context.Time.GetUtcNow().UtcDateTime;
        await context.Store.StartActionAsync(new InstanceAction(instance.Id, action, caller.RequestId, caller.UserId, caller.ProjectId ?? instance.ProjectId, now, now, null, []), cancellationToken);
    }

    /// <summary>forceDelete (nova deferred_delete.py): servers are never soft-deleted here, so it is a plain delete.</summary>
    private static async Task<IResult> ForceDeleteAsync(HttpContext http, string id, Context context)
    {
        var caller = http.Caller();
        var instance = await context.Access.GetAsync(caller, id, http.RequestAborted);
        ComputePolicy.RequireMember(caller, "os_compute_api:os-deferred-delete:force");
        await ServerEndpoints.StartDeleteAsync(instance, caller, context.Store, context.Conductor, context.Time, http.RequestAborted);
        return NovaResult.Empty(202);
    }

    /// <summary>restore only applies to soft-deleted servers, which this cloud never has: always a conflict.</summary>
    private static async Task<IResult> RestoreAsync(HttpContext http, string id, Context context)
    {
        var caller = http.Caller();
        var instance = await context.Access.GetAsync(caller, id, http.RequestAborted);
        ComputePolicy.RequireMember(caller, "os_compute_api:os-deferred-delete:restore");
        throw InstanceStateCheck.Conflict("restore", id, "vm_state", instance.VmState);
    }

    [GeneratedRegex(@"[\x00-\x08\x0B-\x1F]")]
    private static partial Regex InvalidXml();
}
