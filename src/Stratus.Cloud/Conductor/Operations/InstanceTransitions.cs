using Stratus.Cloud.Compute.Instances;

namespace Stratus.Cloud.Conductor.Operations;

/// <summary>
/// State changes guarded like nova's <c>instance.save(expected_task_state=...)</c>: the change applies only while the
/// server is still in a state the work expects, so a delete requested meanwhile is never overwritten by a build step.
/// </summary>
internal static class InstanceTransitions
{
    /// <summary>Applies <paramref name="change"/> if the server is live and its task_state is one of <paramref name="expected"/>; null otherwise.</summary>
    public static Task<Instance?> MoveAsync(this IInstanceStore instances, Guid id, IReadOnlyCollection<string?> expected, Func<Instance, Instance> change, CancellationToken cancellationToken) =>
        instances.UpdateAsync(id, current => current.Deleted || !expected.Contains(current.TaskState) ? null : change(current), cancellationToken);
}
