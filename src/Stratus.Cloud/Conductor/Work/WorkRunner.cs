using System.Collections.Concurrent;

namespace Stratus.Cloud.Conductor.Work;

/// <summary>
/// Runs work items in the background: one at a time per server (a lane per instance, so a stop never overtakes
/// the build before it), a bounded number at once overall. A delete cancels whatever runs on its server first (a
/// build being deleted stops where it is; the delete then removes what it made). Stopping the controller cancels
/// everything in flight; the items stay in the work table and are resumed at the next start.
/// </summary>
internal sealed partial class WorkRunner(ILogger<WorkRunner> logger) : IAsyncDisposable
{
    /// <summary>How many work items run at once (each mostly waits on a host).</summary>
    public const int MaxConcurrent = 128;

    private readonly ConcurrentDictionary<Guid, Lane> _lanes = new();
    private readonly SemaphoreSlim _slots = new(MaxConcurrent, MaxConcurrent);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Queues <paramref name="item"/> behind its server's earlier work (cleanups get a lane of their own).</summary>
    public Task Enqueue(WorkItem item, Func<WorkItem, CancellationToken, Task> run)
    {
        var key = item.Kind == WorkKind.Cleanup ? item.Id : item.InstanceId;
        while (true)
        {
            var lane = _lanes.GetOrAdd(key, _ => new Lane());
            lock (lane)
            {
                if (lane.Removed)
                {
                    // Emptied and dropped between the lookup and the lock: take the new one.
                    continue;
                }

                if (item.Kind == WorkKind.Delete && lane.Current is { } current && lane.CurrentKind is not (WorkKind.Delete or WorkKind.Cleanup))
                {
                    current.Cancel();
                }

                lane.Queued++;
                var next = lane.Tail.ContinueWith(_ => RunOneAsync(key, lane, item, run), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
                lane.Tail = next;
                return next;
            }
        }
    }

    /// <summary>Whether work is queued or running for the server (a power-state observation then waits its turn).</summary>
    public bool IsBusy(Guid instanceId) => _lanes.TryGetValue(instanceId, out var lane) && Volatile.Read(ref lane.Queued) > 0;

    /// <summary>Completes when every queued item has run (tests, benchmarks).</summary>
    public Task IdleAsync() => Task.WhenAll(_lanes.Values.Select(l => l.Tail));

    /// <summary>Cancels what runs and waits for it to unwind (the controller is stopping; the work table keeps the items).</summary>
    public async Task StopAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        await IdleAsync().ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
        _slots.Dispose();
    }

    private async Task RunOneAsync(Guid key, Lane lane, WorkItem item, Func<WorkItem, CancellationToken, Task> run)
    {
        try
        {
            await _slots.WaitAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            Finish(key, lane);
            return;
        }

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        lock (lane)
        {
            lane.Current = cancellation;
            lane.CurrentKind = item.Kind;
        }

        try
        {
            await run(item, cancellation.Token);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Cancelled by a delete of the same server or by the controller stopping: the work table keeps it.
        }
        catch (Exception e)
        {
            LogWorkFailed(logger, item.Kind.ToString(), item.InstanceId, item.RequestId, e);
        }
        finally
        {
            lock (lane)
            {
                lane.Current = null;
                lane.CurrentKind = null;
            }

            _slots.Release();
            Finish(key, lane);
        }
    }

    private void Finish(Guid key, Lane lane)
    {
        lock (lane)
        {
            if (--lane.Queued == 0)
            {
                lane.Removed = true;
                _lanes.TryRemove(new KeyValuePair<Guid, Lane>(key, lane));
            }
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "{Kind} of server {InstanceId} ({RequestId}) failed unexpectedly; it stays queued for the next start")]
    private static partial void LogWorkFailed(ILogger logger, string kind, Guid instanceId, string requestId, Exception exception);

    private sealed class Lane
    {
        public Task Tail { get; set; } = Task.CompletedTask;

        public CancellationTokenSource? Current { get; set; }

        public WorkKind? CurrentKind { get; set; }

        public bool Removed { get; set; }

        // A field: IsBusy reads it with Volatile.Read outside the lock.
        public int Queued;
    }
}
