using System.Collections.Concurrent;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Conductor.Build;
using Stratus.Cloud.Conductor.Hosts;
using Stratus.Cloud.Conductor.Operations;
using Stratus.Cloud.Conductor.Placement;
using Stratus.Cloud.Conductor.Work;
using Stratus.Cloud.OpenStack;
using Stratus.XenApi;
using Stratus.XenApi.Client;

namespace Stratus.Cloud.Conductor;

/// <summary>
/// The conductor: records each request as durable work and runs it in the background (builds, power operations,
/// deletes, cleanups), each under its request id so the id follows it into the logs and to the hosts
/// (X-Request-Id). At start it resumes or cleans up whatever a previous run left unfinished, so no server stays in
/// BUILD or in a task state forever. It also hears the hosts' VM events and keeps power states honest.
/// </summary>
internal sealed partial class ConductorService(
    IInstanceStore instances,
    IWorkStore work,
    WorkRunner runner,
    HostRegistry registry,
    PlacementService placement,
    BuildWorkflow builds,
    PowerWorkflow power,
    DeleteWorkflow deletes,
    ActionRecorder actions,
    TimeProvider time,
    ILogger<ConductorService> logger) : IConductor, IVmStateObserver
{
    private readonly ConcurrentDictionary<Guid, Guid> _openBuilds = new();

    public Task BuildAsync(Guid instanceId, string requestId, CancellationToken cancellationToken) =>
        _openBuilds.ContainsKey(instanceId) ? Task.CompletedTask : SubmitAsync(NewItem(instanceId, WorkKind.Build, requestId), cancellationToken);

    public Task StartAsync(Guid instanceId, string requestId, CancellationToken cancellationToken) =>
        SubmitAsync(NewItem(instanceId, WorkKind.Start, requestId), cancellationToken);

    public Task StopAsync(Guid instanceId, string requestId, CancellationToken cancellationToken) =>
        SubmitAsync(NewItem(instanceId, WorkKind.Stop, requestId), cancellationToken);

    public Task RebootAsync(Guid instanceId, bool hard, string requestId, CancellationToken cancellationToken) =>
        SubmitAsync(NewItem(instanceId, WorkKind.Reboot, requestId) with { Data = new WorkData { Hard = hard } }, cancellationToken);

    public Task DeleteAsync(Guid instanceId, string requestId, CancellationToken cancellationToken) =>
        SubmitAsync(NewItem(instanceId, WorkKind.Delete, requestId), cancellationToken);

    public async Task<string> ConsoleOutputAsync(Guid instanceId, int? lines, CancellationToken cancellationToken)
    {
        var instance = await instances.FindAsync(instanceId, includeDeleted: false, cancellationToken)
            ?? throw ApiException.NotFound($"Instance {instanceId} could not be found.");
        var link = registry.Find(instance.Host);
        if (link is null || instance.VmState == VmStates.Building)
        {
            throw ApiException.Conflict($"Instance {instanceId} is not ready");
        }

        try
        {
            var vm = await VmLookup.FindAsync(link, instance, cancellationToken)
                ?? throw ApiException.Conflict($"Instance {instanceId} is not ready");
            return await HostTransfers.ConsoleLogAsync(link, vm, lines, cancellationToken)
                ?? throw new ApiException(501, "Unable to get console log, functionality not implemented (the host's XenAPI server offers no console log).");
        }
        catch (Exception e) when (BuildWorkflow.IsHostFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            LogConsoleFailed(logger, instanceId, BuildWorkflow.Describe(e));
            throw ApiException.Conflict($"Instance {instanceId} is not ready: its host does not answer.");
        }
    }

    /// <summary>
    /// At start: claims from the servers placed on hosts, then every unfinished work item resumed, then servers
    /// caught mid-way with no work recorded (the API stopped between its write and its call) given some.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await registry.LoadAsync(cancellationToken);
        var live = await instances.ListAsync(new InstanceQuery { Descending = false }, cancellationToken);
        placement.Restore(live);
        var open = await work.ListAsync(cancellationToken);
        foreach (var item in open)
        {
            Dispatch(item, resumed: true);
        }

        var covered = open.Select(i => i.InstanceId).ToHashSet();
        var orphans = 0;
        foreach (var instance in live.Where(i => !covered.Contains(i.Id) && (i.VmState == VmStates.Building || i.TaskState is not null)))
        {
            var kind = instance.TaskState switch
            {
                _ when instance.VmState == VmStates.Building => WorkKind.Build,
                TaskStates.Deleting => WorkKind.Delete,
                TaskStates.PoweringOff => WorkKind.Stop,
                TaskStates.PoweringOn => WorkKind.Start,
                TaskStates.Rebooting or TaskStates.RebootPending or TaskStates.RebootStarted
                    or TaskStates.RebootingHard or TaskStates.RebootPendingHard or TaskStates.RebootStartedHard => WorkKind.Reboot,
                _ => (WorkKind?)null,
            };
            if (kind is not { } found)
            {
                // A task state no work of ours sets (left by a crash elsewhere): clear it rather than show it forever.
                await instances.UpdateAsync(instance.Id, i => i.TaskState == instance.TaskState ? i with { TaskState = null } : null, cancellationToken);
                continue;
            }

            var requestId = (await instances.ListActionsAsync(instance.Id, cancellationToken)) is { Count: > 0 } history ? history[^1].RequestId : null;
            if (requestId is null)
            {
                requestId = "req-" + Guid.NewGuid().ToString("D");
                await actions.OpenAsync(instance, found.ToString().ToLowerInvariant(), requestId, cancellationToken);
            }

            var hard = instance.TaskState is TaskStates.RebootingHard or TaskStates.RebootPendingHard or TaskStates.RebootStartedHard;
            await SubmitAsync(NewItem(instance.Id, found, requestId) with { Data = new WorkData { Hard = hard } }, cancellationToken);
            orphans++;
        }

        LogRecovered(logger, open.Count, orphans, live.Count);
    }

    /// <summary>Completes when all queued work has run (tests and benchmarks).</summary>
    public Task IdleAsync() => runner.IdleAsync();

    /// <summary>
    /// VM changes from a host's events. A guest that powered itself off turns the server SHUTOFF (nova's power state
    /// sync stops it); a VM started outside the cloud (XenCenter, xe) turns it ACTIVE. Servers with work in progress are
    /// left to that work, and a Halted seen for an ACTIVE server is checked against the host before it counts.
    /// </summary>
    public async Task ObserveAsync(string host, IReadOnlyList<IReadOnlyDictionary<string, object?>> vms, CancellationToken cancellationToken)
    {
        foreach (var vm in vms)
        {
            if (!Guid.TryParse(vm.MapValue("other_config", "nova_uuid"), out var id) || runner.IsBusy(id))
            {
                continue;
            }

            var powerState = VmLookup.PowerState(vm.String("power_state"));
            var instance = await instances.FindAsync(id, includeDeleted: false, cancellationToken);
            if (instance is null || instance.Host != host || instance.TaskState is not null || instance.PowerState == powerState
                || instance.VmState is not (VmStates.Active or VmStates.Stopped))
            {
                continue;
            }

            if (powerState == PowerStates.Shutdown && registry.Find(host) is { } link)
            {
                try
                {
                    var vmRef = await VmLookup.FindAsync(link, instance, cancellationToken);
                    if (vmRef is null || XenValue.ToDbString(await link.CallAsync("VM.get_power_state", cancellationToken, vmRef)) != "Halted")
                    {
                        continue;
                    }
                }
                catch (Exception e) when (BuildWorkflow.IsHostFailure(e) && !cancellationToken.IsCancellationRequested)
                {
                    continue;
                }
            }

            var vmState = powerState switch
            {
                PowerStates.Shutdown or PowerStates.Crashed => VmStates.Stopped,
                PowerStates.Running => VmStates.Active,
                _ => instance.VmState,
            };
            var updated = await instances.UpdateAsync(id, i => i.Deleted || i.TaskState is not null || i.Host != host ? null : i with { PowerState = powerState, VmState = vmState }, cancellationToken);
            if (updated is not null)
            {
                LogPowerSynced(logger, id, host, vm.String("power_state"), vmState);
            }
        }
    }

    private WorkItem NewItem(Guid instanceId, WorkKind kind, string requestId) =>
        new(Guid.NewGuid(), instanceId, kind, requestId, time.GetUtcNow().UtcDateTime, new WorkData());

    private async Task SubmitAsync(WorkItem item, CancellationToken cancellationToken)
    {
        await work.AddAsync(item, cancellationToken);
        Dispatch(item, resumed: false);
    }

    private void Dispatch(WorkItem item, bool resumed)
    {
        if (item.Kind == WorkKind.Build)
        {
            _openBuilds[item.InstanceId] = item.Id;
        }

        _ = runner.Enqueue(item, (w, ct) => ExecuteAsync(w, resumed, ct));
    }

    private async Task ExecuteAsync(WorkItem item, bool resumed, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope("RequestId:{RequestId} InstanceId:{InstanceId}", item.RequestId, item.InstanceId);
        using var requestId = XenRequestId.Begin(item.RequestId);
        try
        {
            switch (item.Kind)
            {
                case WorkKind.Build:
                    await builds.RunAsync(item, resumed, SubmitAsync, cancellationToken);
                    break;
                case WorkKind.Start or WorkKind.Stop or WorkKind.Reboot:
                    await power.RunAsync(item, cancellationToken);
                    break;
                case WorkKind.Delete:
                    await deletes.RunAsync(item, SubmitAsync, cancellationToken);
                    break;
                case WorkKind.Cleanup:
                    await deletes.CleanUpAsync(item, cancellationToken);
                    break;
            }
        }
        finally
        {
            if (item.Kind == WorkKind.Build)
            {
                _openBuilds.TryRemove(new KeyValuePair<Guid, Guid>(item.InstanceId, item.Id));
            }
        }
    }

    [LoggerMessage(EventId = 4121, Level = LogLevel.Information, Message = "Conductor started: {Resumed} unfinished work items resumed, {Orphans} servers caught mid-way given work, {Servers} servers")]
    private static partial void LogRecovered(ILogger logger, int resumed, int orphans, int servers);

    [LoggerMessage(EventId = 4122, Level = LogLevel.Information, Message = "Server {InstanceId} on {Host}: VM is {PowerState}, server now {VmState}")]
    private static partial void LogPowerSynced(ILogger logger, Guid instanceId, string host, string powerState, string vmState);

    [LoggerMessage(EventId = 4123, Level = LogLevel.Warning, Message = "Console log of server {InstanceId} unavailable: {Error}")]
    private static partial void LogConsoleFailed(ILogger logger, Guid instanceId, string error);
}
