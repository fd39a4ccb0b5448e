using System.Collections.Concurrent;
using Stratus.Cloud.Conductor;

namespace Stratus.Cloud.Tests.Compute.Support;

/// <summary>The conductor at compute's boundary: records what the API asked for; the console log is set by the test.</summary>
internal sealed class FakeConductor : IConductor
{
    public ConcurrentQueue<(string Call, Guid InstanceId, string RequestId)> Calls { get; } = new();

    public string ConsoleLog { get; set; } = "line 1\nline 2\nline 3\nline 4\nline 5";

    public int? LastConsoleLines { get; private set; }

    public bool FailBuilds { get; set; }

    public Task BuildAsync(Guid instanceId, string requestId, CancellationToken cancellationToken)
    {
        Calls.Enqueue(("build", instanceId, requestId));
        return FailBuilds ? throw new InvalidOperationException("work queue unavailable") : Task.CompletedTask;
    }

    public Task StartAsync(Guid instanceId, string requestId, CancellationToken cancellationToken) => Record("start", instanceId, requestId);

    public Task StopAsync(Guid instanceId, string requestId, CancellationToken cancellationToken) => Record("stop", instanceId, requestId);

    public Task RebootAsync(Guid instanceId, bool hard, string requestId, CancellationToken cancellationToken) => Record(hard ? "reboot-hard" : "reboot-soft", instanceId, requestId);

    public Task DeleteAsync(Guid instanceId, string requestId, CancellationToken cancellationToken) => Record("delete", instanceId, requestId);

    public Task<string> ConsoleOutputAsync(Guid instanceId, int? lines, CancellationToken cancellationToken)
    {
        LastConsoleLines = lines;
        Calls.Enqueue(("console", instanceId, ""));
        return Task.FromResult(ConsoleLog);
    }

    public IReadOnlyList<string> CallsFor(Guid instanceId) => Calls.Where(c => c.InstanceId == instanceId).Select(c => c.Call).ToList();

    private Task Record(string call, Guid instanceId, string requestId)
    {
        Calls.Enqueue((call, instanceId, requestId));
        return Task.CompletedTask;
    }
}
