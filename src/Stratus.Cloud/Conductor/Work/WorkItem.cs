namespace Stratus.Cloud.Conductor.Work;

/// <summary>
/// One piece of durable work on a server: recorded before the API call returns, updated at each step that
/// touches a host, removed when done. Whatever is left in the table at start is resumed or cleaned up.
/// </summary>
internal sealed record WorkItem(Guid Id, Guid InstanceId, WorkKind Kind, string RequestId, DateTime CreatedAt, WorkData Data)
{
    public int Attempt => Data.Attempts.Count;
}
