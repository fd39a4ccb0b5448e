namespace Stratus.Host.Api.Dispatch;

/// <summary>
/// One call in progress: who made it (session), the task it runs under when it came as <c>Async.*</c> or with a
/// client task, a progress reporter, and cancellation (client disconnect or <c>task.cancel</c>).
/// </summary>
internal sealed class CallContext(string? session, string? task, Action<double>? reportProgress, CancellationToken cancellationToken)
{
    /// <summary>The caller's session ref; null only for calls that need none (login, system.listMethods).</summary>
    public string? Session { get; } = session;

    /// <summary>The task the call reports to, if any.</summary>
    public string? Task { get; } = task;

    public CancellationToken Cancellation { get; } = cancellationToken;

    /// <summary>Reports progress (0..1) on the call's task; a no-op for synchronous calls.</summary>
    public void Progress(double fraction) => reportProgress?.Invoke(Math.Clamp(fraction, 0, 1));
}
