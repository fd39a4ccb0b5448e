using System.Globalization;
using System.Text;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Conductor.Hosts;
using Stratus.Cloud.Conductor.Operations;
using Stratus.Cloud.Conductor.Placement;
using Stratus.Cloud.Conductor.Work;
using Stratus.Cloud.Image;
using Stratus.Cloud.Network;
using Stratus.Cloud.Scheduler;
using Stratus.XenApi;

namespace Stratus.Cloud.Conductor.Build;

/// <summary>
/// A server's build, as nova's conductor and compute manager ran it, as one durable workflow: schedule (filters,
/// weighers, an atomic claim), networking (ports allocated once, bound to the chosen host), spawning on the host
/// through the XenAPI, then ACTIVE. A failure on a host cleans up there, gives the claim back and reschedules to a
/// host not tried yet, at most MaxBuildAttempts times; then ERROR with a fault. A "no valid host" keeps the
/// scheduler's explanation: the tenant's summary as the fault message, every host's verdict as its details.
/// </summary>
internal sealed partial class BuildWorkflow(
    IInstanceStore instances,
    IWorkStore work,
    PlacementService placement,
    HostRegistry registry,
    Spawner spawner,
    IImageCatalog images,
    INetworkAllocator network,
    ActionRecorder actions,
    CloudOptions options,
    TimeProvider time,
    ILogger<BuildWorkflow> logger)
{
    public const string ScheduleEvent = "conductor_schedule_and_build_instances";
    public const string BuildEvent = "compute__do_build_and_run_instance";

    /// <summary>Up to this many hosts, a successful decision keeps every host's numbers (stratus why shows them); beyond, only the counts, to keep builds cheap at scale.</summary>
    private const int ExplainedHosts = 16;

    private static readonly string?[] Building = [TaskStates.Scheduling, TaskStates.Networking, TaskStates.BlockDeviceMapping, TaskStates.Spawning];

    /// <summary>Runs (or resumes) a build; <paramref name="submit"/> queues follow-up work (a cleanup on an unreachable host).</summary>
    public async Task RunAsync(WorkItem item, bool resumed, Func<WorkItem, CancellationToken, Task> submit, CancellationToken cancellationToken)
    {
        var instance = await instances.FindAsync(item.InstanceId, includeDeleted: true, cancellationToken);
        if (instance is null || instance.Deleted || instance.VmState != VmStates.Building)
        {
            await work.RemoveAsync(item.Id, cancellationToken);
            return;
        }

        try
        {
            if (resumed)
            {
                (item, instance) = await ResumeAsync(item, instance, submit, cancellationToken);
                if (instance is null)
                {
                    return;
                }
            }

            await BuildAsync(item, instance, submit, cancellationToken);
        }
        catch (BuildSupersededException)
        {
            // A delete took over: it removes what was made and releases the claim.
            LogSuperseded(logger, item.InstanceId);
        }
    }

    private async Task BuildAsync(WorkItem item, Instance instance, Func<WorkItem, CancellationToken, Task> submit, CancellationToken cancellationToken)
    {
        var image = await images.FindAsync(instance.ImageId, null, cancellationToken);
        if (image is null || !string.Equals(image.Status, "active", StringComparison.OrdinalIgnoreCase))
        {
            await FailAsync(item, instance.Id, $"Build of instance {instance.Id} aborted: Image {instance.ImageId} could not be found or is not active.",
                $"Image {instance.ImageId}: {(image is null ? "not found" : $"status {image.Status}")}", cancellationToken);
            return;
        }

        while (true)
        {
            // Scheduling: filters and weighers over every host, and the claim, in one step.
            await actions.StartAsync(item, ScheduleEvent, null, cancellationToken);
            var spec = new RequestSpec(instance.Id, instance.Flavor, image.Properties, image.Size ?? 0,
                string.IsNullOrEmpty(instance.RequestedAvailabilityZone) ? null : instance.RequestedAvailabilityZone, item.Data.TriedHosts);
            var placed = placement.SelectAndClaim(spec);
            if (placed.Claim is not { } claim)
            {
                await actions.FinishAsync(item, ScheduleEvent, false, NoValidHostDetails(placed.Decision, item), cancellationToken);
                LogNoValidHost(logger, instance.Id, placed.Decision.TenantSummary);
                await FailAsync(item, instance.Id, placed.Decision.TenantSummary, NoValidHostDetails(placed.Decision, item), cancellationToken);
                return;
            }

            var chosen = placed.Decision.Chosen!;
            await actions.FinishAsync(item, ScheduleEvent, true,
                string.Create(CultureInfo.InvariantCulture, $"Chose {chosen.Host} out of {placed.Decision.Evaluations.Count} hosts ({placed.Decision.Evaluations.Count(e => e.Passed)} passed the filters).{(placed.Decision.Evaluations.Count <= ExplainedHosts ? "\n" + placed.Decision.AdminDetails : "")}"),
                cancellationToken);

            var now = time.GetUtcNow().UtcDateTime;
            item = item with { Data = item.Data with { Attempts = [.. item.Data.Attempts, new AttemptRecord(item.Attempt + 1, chosen.Host, chosen.Node, now, null)], Host = chosen.Host } };
            await work.UpdateAsync(item, cancellationToken);
            instance = await instances.MoveAsync(instance.Id, Building, i => i with
            {
                Host = chosen.Host,
                Node = chosen.Node,
                AvailabilityZone = chosen.AvailabilityZone,
                TaskState = TaskStates.Networking,
            }, cancellationToken) ?? await SupersededAsync(instance.Id);

            // Networking: ports once per build (kept across reschedules), bound to this host.
            if (item.Data.Ports is null)
            {
                IReadOnlyList<PortAllocation> ports;
                try
                {
                    ports = await network.AllocateAsync(instance.ProjectId, instance.Id, instance.Networks, instance.SecurityGroups, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    placement.Release(instance.Id);
                    await FailAsync(item, instance.Id, $"Build of instance {instance.Id} aborted: Failed to allocate the network(s), not rescheduling.", e.Message, cancellationToken);
                    return;
                }

                item = item with { Data = item.Data with { Ports = ports } };
                await work.UpdateAsync(item, cancellationToken);
            }

            await network.BindAsync(instance.Id, chosen.Host, cancellationToken);
            instance = await instances.MoveAsync(instance.Id, Building, i => i with { TaskState = TaskStates.Spawning }, cancellationToken)
                ?? await SupersededAsync(instance.Id);

            // Spawning on the host.
            await actions.StartAsync(item, BuildEvent, chosen.Host, cancellationToken);
            var clock = new StepClock();
            var link = registry.Find(chosen.Host);
            try
            {
                if (link is null)
                {
                    throw new HostGoneException(chosen.Host);
                }

                var needsDrive = instance.ConfigDrive || item.Data.Ports!.Any(p => p.FixedIps.Count > 0);
                var spawned = await spawner.SpawnAsync(link,
                    new SpawnRequest(instance, image, item.Data.Ports!, needsDrive, chosen.AvailabilityZone, spec.RequiredSrType), clock, cancellationToken);
                var launched = time.GetUtcNow().UtcDateTime;
                _ = await instances.MoveAsync(instance.Id, Building, i => i with
                {
                    VmState = VmStates.Active,
                    TaskState = null,
                    PowerState = PowerStates.Running,
                    LaunchedAt = launched,
                    Progress = 100,
                    XenVmUuid = spawned.Uuid,
                }, cancellationToken) ?? await SupersededAsync(instance.Id);
                await actions.FinishAsync(item, BuildEvent, true, $"Spawned on {chosen.Host} as VM {spawned.Uuid}: {clock}.", cancellationToken);
                await actions.CompleteAsync(item, anyError: item.Data.Attempts.Any(a => a.Error is not null), cancellationToken);
                await work.RemoveAsync(item.Id, cancellationToken);
                LogActive(logger, instance.Id, chosen.Host, item.Attempt);
                return;
            }
            catch (Exception e) when (IsHostFailure(e) && !cancellationToken.IsCancellationRequested)
            {
                var error = Describe(e);
                LogAttemptFailed(logger, instance.Id, chosen.Host, item.Attempt, error);
                await actions.FinishAsync(item, BuildEvent, false, $"Failed on {chosen.Host} after {clock}: {error}", cancellationToken);
                await CleanUpAsync(item, instance, link, submit, cancellationToken);
                placement.Release(instance.Id);
                var attempts = item.Data.Attempts;
                item = item with { Data = item.Data with { Attempts = [.. attempts.Take(attempts.Count - 1), attempts[^1] with { Error = error }] } };
                await work.UpdateAsync(item, cancellationToken);
                if (item.Attempt >= options.MaxBuildAttempts)
                {
                    await FailAsync(item, instance.Id,
                        $"Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for instance {instance.Id}.",
                        AttemptDetails(item), cancellationToken);
                    return;
                }

                instance = await instances.MoveAsync(instance.Id, Building, i => i with { Host = null, Node = null, TaskState = TaskStates.Scheduling }, cancellationToken)
                    ?? await SupersededAsync(instance.Id);
            }
            catch (BuildAbortedException e)
            {
                await actions.FinishAsync(item, BuildEvent, false, e.Details, cancellationToken);
                await CleanUpAsync(item, instance, link, submit, cancellationToken);
                placement.Release(instance.Id);
                await FailAsync(item, instance.Id, e.Message, e.Details, cancellationToken);
                return;
            }
        }
    }

    /// <summary>
    /// A build the controller was running when it stopped. With no host chosen yet it simply starts over. On its
    /// host, a VM already running means only the last write was lost: the server is ACTIVE. Otherwise whatever was
    /// made there goes (or, if the host does not answer, a cleanup waits for it) and the build reschedules.
    /// </summary>
    private async Task<(WorkItem Item, Instance? Instance)> ResumeAsync(WorkItem item, Instance instance, Func<WorkItem, CancellationToken, Task> submit, CancellationToken cancellationToken)
    {
        await actions.FinishAsync(item, ScheduleEvent, false, "Interrupted by a controller restart.", cancellationToken);
        if (instance.Host is not { } host)
        {
            return (item, await Reset(instance.Id));
        }

        var link = registry.Find(host);
        if (link is not null)
        {
            try
            {
                var vms = XenRecord.AsRecords(await link.CallAsync("VM.get_all_records_where", cancellationToken, $"field \"name__label\"={XenRecord.Quote(instance.InstanceName)}"));
                var running = vms.Values.FirstOrDefault(v => v.MapValue("other_config", "nova_uuid") == instance.Id.ToString() && v.String("power_state") == "Running");
                if (running is not null)
                {
                    placement.Hold(Claim.Of(instance, host));
                    _ = await instances.MoveAsync(instance.Id, Building, i => i with
                    {
                        VmState = VmStates.Active,
                        TaskState = null,
                        PowerState = PowerStates.Running,
                        LaunchedAt = time.GetUtcNow().UtcDateTime,
                        Progress = 100,
                        XenVmUuid = running.String("uuid"),
                    }, cancellationToken);
                    await actions.FinishAsync(item, BuildEvent, true, $"The VM was running on {host} when the controller restarted; adopted.", cancellationToken);
                    await actions.CompleteAsync(item, anyError: item.Data.Attempts.Any(a => a.Error is not null), cancellationToken);
                    await work.RemoveAsync(item.Id, cancellationToken);
                    LogAdopted(logger, instance.Id, host);
                    return (item, null);
                }

                await Teardown.RemoveAsync(link, instance.Id, instance.InstanceName, cancellationToken);
                await actions.FinishAsync(item, BuildEvent, false, $"Interrupted on {host} by a controller restart; what it had made there was removed.", cancellationToken);
                placement.Release(instance.Id);
                item = item with { Data = item.Data with { Attempts = [.. item.Data.Attempts.Where(a => a.Host != host || a.Error is not null)] } };
                await work.UpdateAsync(item, cancellationToken);
                return (item, await Reset(instance.Id));
            }
            catch (Exception e) when (IsHostFailure(e) && !cancellationToken.IsCancellationRequested)
            {
                LogAttemptFailed(logger, instance.Id, host, item.Attempt, Describe(e));
            }
        }

        // The host does not answer: try elsewhere, and clean up there once it does.
        var interrupted = item.Data.Attempts;
        if (interrupted.Count > 0 && interrupted[^1].Host == host && interrupted[^1].Error is null)
        {
            item = item with { Data = item.Data with { Attempts = [.. interrupted.Take(interrupted.Count - 1), interrupted[^1] with { Error = "interrupted by a controller restart; the host did not answer afterwards" }] } };
            await work.UpdateAsync(item, cancellationToken);
        }

        await actions.FinishAsync(item, BuildEvent, false, $"Interrupted on {host} by a controller restart; the host does not answer.", cancellationToken);
        await submit(Cleanup(item, host, instance), cancellationToken);
        placement.Release(instance.Id);
        return (item, await Reset(instance.Id));

        Task<Instance?> Reset(Guid id) =>
            instances.MoveAsync(id, Building, i => i with { Host = null, Node = null, TaskState = TaskStates.Scheduling }, cancellationToken);
    }

    private async Task CleanUpAsync(WorkItem item, Instance instance, HostLink? link, Func<WorkItem, CancellationToken, Task> submit, CancellationToken cancellationToken)
    {
        if (link is null)
        {
            return;
        }

        try
        {
            await Teardown.RemoveAsync(link, instance.Id, instance.InstanceName, cancellationToken);
        }
        catch (Exception e) when (IsHostFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            await submit(Cleanup(item, link.Host, instance), cancellationToken);
        }
    }

    private WorkItem Cleanup(WorkItem item, string host, Instance instance) =>
        new(Guid.NewGuid(), instance.Id, WorkKind.Cleanup, item.RequestId, time.GetUtcNow().UtcDateTime, new WorkData { Host = host, VmName = instance.InstanceName });

    /// <summary>ERROR with a fault; the claim is gone and the server has no host (nova clears host and node).</summary>
    private async Task FailAsync(WorkItem item, Guid instanceId, string message, string details, CancellationToken cancellationToken)
    {
        placement.Release(instanceId);
        var now = time.GetUtcNow().UtcDateTime;
        var failed = await instances.MoveAsync(instanceId, Building, i => i with
        {
            VmState = VmStates.Error,
            TaskState = null,
            Host = null,
            Node = null,
            Progress = 0,
        }, cancellationToken);
        if (failed is not null)
        {
            await instances.AddFaultAsync(instanceId, new InstanceFault(500, message, details, now, null), cancellationToken);
            await actions.CompleteAsync(item, anyError: true, cancellationToken);
            LogFailed(logger, instanceId, message);
        }

        await work.RemoveAsync(item.Id, cancellationToken);
    }

    private static Task<Instance> SupersededAsync(Guid instanceId) => throw new BuildSupersededException(instanceId);

    private static string NoValidHostDetails(SchedulingDecision decision, WorkItem item)
    {
        var text = new StringBuilder(decision.AdminDetails);
        if (item.Data.Attempts.Count > 0)
        {
            text.Append("Earlier attempts of this build:\n").Append(AttemptDetails(item));
        }

        return text.ToString();
    }

    private static string AttemptDetails(WorkItem item)
    {
        var text = new StringBuilder();
        foreach (var attempt in item.Data.Attempts)
        {
            text.Append(CultureInfo.InvariantCulture, $"Attempt {attempt.Number} on {attempt.Host} (node {attempt.Node}): {attempt.Error ?? "interrupted"}\n");
        }

        return text.ToString();
    }

    /// <summary>What a host does wrong (reschedule): a XenAPI error, a transfer refused, no answer.</summary>
    public static bool IsHostFailure(Exception e) =>
        e is XenApiFailure or HttpRequestException or TransferFailedException or TimeoutException or IOException or HostGoneException
            or OperationCanceledException or System.Text.Json.JsonException or InvalidCastException;

    /// <summary>The host's own words: the XenAPI error code and parameters (the agent's message, e.g. QEMU's), or the transport's.</summary>
    public static string Describe(Exception e) => e switch
    {
        XenApiFailure failure => string.Join(" ", failure.Description),
        TransferFailedException transfer => transfer.Message,
        _ => HostMonitor.Describe(e),
    };

    [LoggerMessage(EventId = 4111, Level = LogLevel.Information, Message = "Server {InstanceId} is ACTIVE on {Host} (attempt {Attempt})")]
    private static partial void LogActive(ILogger logger, Guid instanceId, string host, int attempt);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Warning, Message = "Build of server {InstanceId} failed on {Host} (attempt {Attempt}): {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, Guid instanceId, string host, int attempt, string error);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Warning, Message = "Server {InstanceId}: {Summary}")]
    private static partial void LogNoValidHost(ILogger logger, Guid instanceId, string summary);

    [LoggerMessage(EventId = 4114, Level = LogLevel.Warning, Message = "Server {InstanceId} is in ERROR: {Message}")]
    private static partial void LogFailed(ILogger logger, Guid instanceId, string message);

    [LoggerMessage(EventId = 4115, Level = LogLevel.Information, Message = "Server {InstanceId} was running on {Host} when the controller restarted: adopted")]
    private static partial void LogAdopted(ILogger logger, Guid instanceId, string host);

    [LoggerMessage(EventId = 4116, Level = LogLevel.Information, Message = "Build of server {InstanceId} stopped: the server is being deleted")]
    private static partial void LogSuperseded(ILogger logger, Guid instanceId);
}
