namespace Stratus.Cloud.Conductor.Work;

/// <summary>The durable work table.</summary>
internal interface IWorkStore
{
    Task AddAsync(WorkItem item, CancellationToken cancellationToken);

    Task UpdateAsync(WorkItem item, CancellationToken cancellationToken);

    Task RemoveAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Everything unfinished, oldest first.</summary>
    Task<IReadOnlyList<WorkItem>> ListAsync(CancellationToken cancellationToken);
}
