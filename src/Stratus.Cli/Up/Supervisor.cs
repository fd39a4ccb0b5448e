using System.Reflection;

namespace Stratus.Cli.Up;

/// <summary>
/// Runs the all-in-one cloud's processes (the embedded host agent and the controller) where the seed had screen:
/// their logs go to one place, a process that exits is restarted (that is also how <c>stratus restart</c> works:
/// it stops a process and the supervisor brings it back), and the run state tells the other commands where
/// everything is.
/// </summary>
internal sealed partial class Supervisor(RunDirectory run, IReadOnlyList<ServiceDefinition> definitions, string backend, TimeProvider time, ILogger<Supervisor> logger) : IAsyncDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private readonly Dictionary<string, Running> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _watchers = [];
    private bool _ready;
    private CancellationTokenRegistration _stopOnCancel;

    public static string Version { get; } =
        typeof(Supervisor).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Starts every service and waits until each has printed its ready line; returns their URLs by name.</summary>
    public async Task<IReadOnlyDictionary<string, string>> StartAsync(CancellationToken cancellationToken)
    {
        // Ctrl-C reaches the children too (one process group): from then on an exit is a stop, not a crash to restart.
        _stopOnCancel = cancellationToken.Register(_stopping.Cancel);
        foreach (var definition in definitions)
        {
            _running[definition.Name] = Launch(definition, restarts: 0);
        }

        var urls = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, running) in _running)
        {
            urls[name] = await running.Child.WaitReadyAsync(cancellationToken);
        }

        Publish();
        foreach (var name in _running.Keys.ToList())
        {
            _watchers.Add(WatchAsync(name));
        }

        return urls;
    }

    /// <summary>Marks the cloud ready in the run state (after the bootstrap).</summary>
    public void MarkReady()
    {
        _ready = true;
        Publish();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopOnCancel.DisposeAsync();
        await _stopping.CancelAsync();
        // The controller first (it talks to the host agent), then the rest.
        foreach (var running in _running.Values.OrderBy(r => r.Child.Definition.Name == "controller" ? 0 : 1))
        {
            await running.Child.StopAsync(TimeSpan.FromSeconds(15));
            running.Log.Dispose();
        }

        await Task.WhenAll(_watchers);
        run.ClearState();
        LogStopped(logger);
        _stopping.Dispose();
    }

    private Running Launch(ServiceDefinition definition, int restarts)
    {
        var log = new LogWriter(run.LogFile(definition.Name), definition.Name, time);
        var child = ChildProcess.Start(definition, log);
        LogStarted(logger, definition.Name, child.Pid);
        return new Running(child, log, restarts, time.GetUtcNow().UtcDateTime);
    }

    /// <summary>Restarts a service whenever it exits, with a growing pause if it keeps failing at once.</summary>
    private async Task WatchAsync(string name)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!_stopping.IsCancellationRequested)
        {
            var running = _running[name];
            await running.Child.Exited;
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            LogExited(logger, name, running.Child.ExitCode ?? -1);
            running.Log.Dispose();
            var lived = time.GetUtcNow().UtcDateTime - running.Started;
            backoff = lived > TimeSpan.FromMinutes(1) ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            try
            {
                if (lived < TimeSpan.FromSeconds(10))
                {
                    await Task.Delay(backoff, time, _stopping.Token);
                }

                var next = Launch(running.Child.Definition, running.Restarts + 1);
                _running[name] = next;
                await next.Child.WaitReadyAsync(_stopping.Token);
                Publish();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (InvalidOperationException e)
            {
                // It died before becoming ready; the loop waits on its exit and tries again.
                LogRestartFailed(logger, name, e.Message);
            }
        }
    }

    private void Publish() => run.WriteState(new RunState
    {
        SupervisorPid = Environment.ProcessId,
        Started = time.GetUtcNow().UtcDateTime,
        ControllerUrl = _running.TryGetValue("controller", out var controller) ? controller.Child.Url : "",
        Backend = backend,
        Ready = _ready,
        Services = _running.ToDictionary(p => p.Key, p => new ServiceState(p.Value.Child.Pid, p.Value.Child.Url, p.Value.Started, p.Value.Restarts, Version)),
    });

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "{Service} started (pid {Pid})")]
    private static partial void LogStarted(ILogger logger, string service, int pid);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "{Service} exited with code {Code}; restarting it")]
    private static partial void LogExited(ILogger logger, string service, int code);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Every service stopped")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "{Service} failed to restart: {Reason}")]
    private static partial void LogRestartFailed(ILogger logger, string service, string reason);

    private sealed record Running(ChildProcess Child, LogWriter Log, int Restarts, DateTime Started);
}
