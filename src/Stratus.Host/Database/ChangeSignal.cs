namespace Stratus.Host.Database;

/// <summary>
/// Wakes everyone waiting for the next commit. Take <see cref="Next"/> before looking at the database, then await it
/// if nothing was found: a commit in between completes the task you hold, so no wake-up is lost.
/// </summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref _next).Task;

    public void Pulse() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
