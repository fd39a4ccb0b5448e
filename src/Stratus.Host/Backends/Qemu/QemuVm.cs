namespace Stratus.Host.Backends.Qemu;

/// <summary>
/// One running QEMU the backend controls: its pid, its QMP connection, the TAPs made for it, and the task that
/// watches it. <see cref="Exited"/> completes once QEMU is gone and its leftovers are cleaned up.
/// </summary>
internal sealed class QemuVm(string uuid, QemuVmPaths paths, int pid, QmpClient qmp, IReadOnlyList<string> taps, string? vncAddress)
{
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopRequested;
    private volatile bool _detaching;

    public string Uuid { get; } = uuid;

    public QemuVmPaths Paths { get; } = paths;

    public int Pid { get; } = pid;

    public QmpClient Qmp { get; } = qmp;

    public IReadOnlyList<string> Taps { get; } = taps;

    public string? VncAddress { get; } = vncAddress;

    public VmRuntimeInfo RuntimeInfo => new(Pid, VncAddress);

    /// <summary>The agent asked for the stop (shutdown): its end is not reported as GuestStopped.</summary>
    public bool StopRequested
    {
        get => _stopRequested;
        set => _stopRequested = value;
    }

    /// <summary>The backend is going away and leaves QEMU running: the closed connection means nothing.</summary>
    public bool Detaching
    {
        get => _detaching;
        set => _detaching = value;
    }

    /// <summary>The reason of QEMU's last SHUTDOWN event (guest-shutdown, host-qmp-quit, ...), if any.</summary>
    public string? ShutdownReason { get; set; }

    public Task Watcher { get; set; } = Task.CompletedTask;

    public Task Exited => _exited.Task;

    public void MarkExited() => _exited.TrySetResult();
}
