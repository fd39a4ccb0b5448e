using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Conductor.Build;
using Stratus.Cloud.Conductor.Hosts;
using Stratus.Cloud.Conductor.Placement;
using Stratus.Cloud.Conductor.Work;
using Stratus.Cloud.Network;

namespace Stratus.Cloud.Conductor.Operations;

/// <summary>
/// Deletes a server (nova's terminate_instance): task_state deleting, then on its host VM.hard_shutdown,
/// VM.destroy and its disks (never the cached image), its ports, its claim, and the row ends deleted with
/// terminated_at. Works for servers in ERROR or without a host. When the host does not answer, the server is
/// deleted all the same (nova's local delete) and a cleanup waits for the host to come back.
/// </summary>
internal sealed partial class DeleteWorkflow(
    IInstanceStore instances,
    IWorkStore work,
    HostRegistry registry,
    PlacementService placement,
    INetworkAllocator network,
    ActionRecorder actions,
    CloudOptions options,
    TimeProvider time,
    ILogger<DeleteWorkflow> logger)
{
    public const string DeleteEvent = "compute_terminate_instance";

    public async Task RunAsync(WorkItem item, Func<WorkItem, CancellationToken, Task> submit, CancellationToken cancellationToken)
    {
        var instance = await instances.FindAsync(item.InstanceId, includeDeleted: true, cancellationToken);
        if (instance is null || instance.Deleted)
        {
            await work.RemoveAsync(item.Id, cancellationToken);
            return;
        }

        await actions.StartAsync(item, DeleteEvent, instance.Host, cancellationToken);
        instance = await instances.UpdateAsync(item.InstanceId, i => i.Deleted ? null : i with { TaskState = TaskStates.Deleting }, cancellationToken) ?? instance;
        string? note = null;
        if (instance.Host is { } host)
        {
            var link = registry.Find(host);
            if (link is null)
            {
                note = $"Host {host} is no longer managed; nothing to remove there.";
            }
            else if (link.LastError is { } down)
            {
                // Known down: don't wait for timeouts; the cleanup runs once the host answers.
                note = $"Host {host} does not answer ({down}); the server's VM and disks there will be removed when it does.";
                await submit(new WorkItem(Guid.NewGuid(), instance.Id, WorkKind.Cleanup, item.RequestId, time.GetUtcNow().UtcDateTime,
                    new WorkData { Host = host, VmName = instance.InstanceName }), cancellationToken);
            }
            else
            {
                try
                {
                    var removed = await Teardown.RemoveAsync(link, instance.Id, instance.InstanceName, cancellationToken);
                    note = $"Removed {removed} objects on {host}.";
                }
                catch (Exception e) when (BuildWorkflow.IsHostFailure(e) && !cancellationToken.IsCancellationRequested)
                {
                    note = $"Host {host} did not answer ({BuildWorkflow.Describe(e)}); the server's VM and disks there will be removed when it does.";
                    await submit(new WorkItem(Guid.NewGuid(), instance.Id, WorkKind.Cleanup, item.RequestId, time.GetUtcNow().UtcDateTime,
                        new WorkData { Host = host, VmName = instance.InstanceName }), cancellationToken);
                }
            }
        }

        await network.DeallocateAsync(instance.Id, cancellationToken);
        placement.Release(instance.Id);
        var now = time.GetUtcNow().UtcDateTime;
        await instances.UpdateAsync(item.InstanceId, i => i with
        {
            Deleted = true,
            DeletedAt = now,
            TerminatedAt = now,
            VmState = VmStates.Deleted,
            TaskState = null,
            PowerState = PowerStates.NoState,
            Progress = 0,
        }, cancellationToken);
        await actions.FinishAsync(item, DeleteEvent, true, note, cancellationToken);
        await actions.CompleteAsync(item, anyError: false, cancellationToken);
        await work.RemoveAsync(item.Id, cancellationToken);
        LogDeleted(logger, item.InstanceId);
    }

    /// <summary>Removes what a server left on a host that did not answer before; waits (with backoff) for the host.</summary>
    public async Task CleanUpAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (true)
        {
            var link = registry.Find(item.Data.Host);
            if (link is null)
            {
                // The host is no longer managed: nothing the cloud can reach is left.
                await work.RemoveAsync(item.Id, cancellationToken);
                return;
            }

            if (link.LastError is null && link.LastSeenUp is not null)
            {
                try
                {
                    var removed = await Teardown.RemoveAsync(link, item.InstanceId, item.Data.VmName!, cancellationToken);
                    LogCleanedUp(logger, item.InstanceId, link.Host, removed);
                    await work.RemoveAsync(item.Id, cancellationToken);
                    return;
                }
                catch (Exception e) when (BuildWorkflow.IsHostFailure(e) && !cancellationToken.IsCancellationRequested)
                {
                    LogCleanupDeferred(logger, item.InstanceId, link.Host, BuildWorkflow.Describe(e));
                }
            }

            await Task.Delay(backoff, time, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, Math.Max(options.HeartbeatInterval.Ticks, TimeSpan.FromMinutes(1).Ticks)));
        }
    }

    [LoggerMessage(EventId = 4141, Level = LogLevel.Information, Message = "Server {InstanceId} deleted")]
    private static partial void LogDeleted(ILogger logger, Guid instanceId);

    [LoggerMessage(EventId = 4142, Level = LogLevel.Information, Message = "Removed {Count} leftover objects of server {InstanceId} on {Host}")]
    private static partial void LogCleanedUp(ILogger logger, Guid instanceId, string host, int count);

    [LoggerMessage(EventId = 4143, Level = LogLevel.Warning, Message = "Leftovers of server {InstanceId} on {Host} could not be removed yet: {Error}")]
    private static partial void LogCleanupDeferred(ILogger logger, Guid instanceId, string host, string error);
}
