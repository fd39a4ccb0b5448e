namespace Stratus.Cloud.Compute.Instances;

/// <summary>Servers, their faults and their actions, shared by the compute API and the conductor.</summary>
internal interface IInstanceStore
{
    /// <summary>Stores a new server, assigning its internal number, together with its <c>create</c> action.</summary>
    Task<Instance> CreateAsync(Instance instance, InstanceAction createAction, CancellationToken cancellationToken);

    Task<Instance?> FindAsync(Guid id, bool includeDeleted, CancellationToken cancellationToken);

    /// <summary>Servers matching the query, sorted and paged. Throws <see cref="MarkerNotFoundException"/>.</summary>
    Task<IReadOnlyList<Instance>> ListAsync(InstanceQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the current row and stores the result (UpdatedAt and Version move on).
    /// <paramref name="change"/> returns null to leave the row alone (a precondition failed); the result is then null.
    /// Retries when another writer got there first, so the change always sees the latest state.
    /// </summary>
    Task<Instance?> UpdateAsync(Guid id, Func<Instance, Instance?> change, CancellationToken cancellationToken);

    /// <summary>Live servers on a host (for its claims and its hypervisor view).</summary>
    Task<IReadOnlyList<Instance>> ListOnHostAsync(string host, CancellationToken cancellationToken);

    /// <summary>Servers, vCPUs and RAM a project uses (quotas).</summary>
    Task<ProjectUsage> UsageAsync(string projectId, CancellationToken cancellationToken);

    Task AddFaultAsync(Guid instanceId, InstanceFault fault, CancellationToken cancellationToken);

    /// <summary>The latest fault of each server that has one.</summary>
    Task<IReadOnlyDictionary<Guid, InstanceFault>> LatestFaultsAsync(IReadOnlyCollection<Guid> instanceIds, CancellationToken cancellationToken);

    Task StartActionAsync(InstanceAction action, CancellationToken cancellationToken);

    Task FinishActionAsync(Guid instanceId, string requestId, DateTime finishTime, string? message, CancellationToken cancellationToken);

    /// <summary>Starts an event of an action (finish it with <see cref="FinishEventAsync"/>).</summary>
    Task StartEventAsync(Guid instanceId, string requestId, string eventName, DateTime startTime, string? host, CancellationToken cancellationToken);

    Task FinishEventAsync(Guid instanceId, string requestId, string eventName, DateTime finishTime, string result, string? details, CancellationToken cancellationToken);

    Task<IReadOnlyList<InstanceAction>> ListActionsAsync(Guid instanceId, CancellationToken cancellationToken);
}
