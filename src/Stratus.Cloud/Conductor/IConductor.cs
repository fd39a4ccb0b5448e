namespace Stratus.Cloud.Conductor;

/// <summary>
/// What the compute API hands to the conductor. Each call records intent durably (the instance's task_state and a
/// work item) and returns; the work runs in the background and moves the instance through nova's states. A
/// controller killed mid-way resumes or fails each piece of work cleanly on restart.
/// </summary>
internal interface IConductor
{
    /// <summary>Schedules and builds a new server (vm_state building, task_state scheduling on entry).</summary>
    Task BuildAsync(Guid instanceId, string requestId, CancellationToken cancellationToken);

    Task StartAsync(Guid instanceId, string requestId, CancellationToken cancellationToken);

    Task StopAsync(Guid instanceId, string requestId, CancellationToken cancellationToken);

    Task RebootAsync(Guid instanceId, bool hard, string requestId, CancellationToken cancellationToken);

    /// <summary>Tears a server down on its host and releases its resources; the instance row ends deleted.</summary>
    Task DeleteAsync(Guid instanceId, string requestId, CancellationToken cancellationToken);

    /// <summary>The server's serial console log (its real one, from the host agent); the last <paramref name="lines"/> lines when given.</summary>
    Task<string> ConsoleOutputAsync(Guid instanceId, int? lines, CancellationToken cancellationToken);
}
