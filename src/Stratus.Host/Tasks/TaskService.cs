using System.Collections.Concurrent;
using Stratus.Host.Api.Dispatch;
using Stratus.Host.Database;
using Stratus.XenApi;
using Stratus.XenApi.Schema;
using Stratus.XenApi.Wire;

namespace Stratus.Host.Tasks;

/// <summary>
/// Long operations as XenAPI tasks (taskHelper.ml): <c>Async.X</c> creates a pending task, runs X in the background
/// and records the outcome: <c>success</c> with <c>result</c> as an XML-RPC <c>&lt;value&gt;</c> fragment (also for
/// JSON-RPC clients), <c>failure</c> with <c>error_info</c>, or <c>cancelled</c> with <c>[TASK_CANCELLED, task]</c>.
/// Every change is a task <c>mod</c> event, which is how Xen Orchestra and XenCenter wait for tasks.
/// </summary>
internal sealed partial class TaskService(ObjectDatabase db, HostIdentity host, TimeProvider time, ILogger<TaskService> logger)
{
    // Progress is stored at most this often per task, so a streaming import does not flood the event stream.
    private const double ProgressStep = 0.01;

    private readonly ConcurrentDictionary<string, CancellationTokenSource> _cancellation = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _progress = new(StringComparer.Ordinal);

    // task.session is internal in the datamodel (no field clients see); the owner is kept here so that
    // logging out destroys the session's tasks, as xapi does.
    private readonly ConcurrentDictionary<string, string> _owners = new(StringComparer.Ordinal);

    /// <summary>task.create, and the task behind every Async call.</summary>
    public string Create(string label, string description, string? session)
    {
        var task = db.Write(tx => tx.Create(XenModel.Task, new Dictionary<string, object?>
        {
            ["name_label"] = label,
            ["name_description"] = description,
            ["allowed_operations"] = new object?[] { "cancel" },
            ["created"] = time.GetUtcNow().UtcDateTime,
            ["status"] = "pending",
            ["resident_on"] = host.HostRef,
        }));
        if (session is not null)
        {
            _owners[task] = session;
        }

        return task;
    }

    /// <summary>Destroys the tasks a session created (on logout or expiry).</summary>
    public void DestroyOwnedBy(string session)
    {
        foreach (var task in _owners.Where(p => p.Value == session).Select(p => p.Key).ToList())
        {
            _owners.TryRemove(task, out _);
            db.Write(tx =>
            {
                if (tx.Exists(XenModel.Task, task))
                {
                    tx.Delete(XenModel.Task, task);
                }
            });
            Forget(task);
        }
    }

    /// <summary>Starts <paramref name="method"/> under a new task and returns the task ref immediately.</summary>
    public string RunAsync(string name, XenMethod method, Args args, string session)
    {
        var task = Create(name, "", session);
        var cancellation = Track(task);
        _ = Task.Run(async () =>
        {
            try
            {
                var context = new CallContext(session, task, fraction => Progress(task, fraction), cancellation.Token);
                var result = await method.Handler(context, args);
                Succeed(task, result);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                Cancelled(task);
            }
            catch (XenApiFailure failure)
            {
                Fail(task, failure);
            }
            catch (Exception e)
            {
                LogUnexpected(logger, name, e);
                Fail(task, new XenApiFailure(XenErrors.InternalError, e.Message));
            }
        });
        return task;
    }

    /// <summary>Registers cancellation for a task that a client created and passed to an HTTP handler (?task_id=).</summary>
    public CancellationTokenSource Track(string task)
    {
        var source = new CancellationTokenSource();
        _cancellation[task] = source;
        return source;
    }

    public void Progress(string task, double fraction)
    {
        var last = _progress.GetValueOrDefault(task);
        if (fraction < 1 && fraction - last < ProgressStep)
        {
            return;
        }

        _progress[task] = fraction;
        Update(task, ("progress", fraction));
    }

    public void Succeed(string task, object? result) =>
        Finish(task, "success", result is null ? "" : XmlRpcWriter.ToValueString(result), []);

    public void Fail(string task, XenApiFailure failure) =>
        Finish(task, "failure", "", failure.Description.Cast<object?>().ToArray());

    public void Cancelled(string task) =>
        Finish(task, "cancelled", "", [XenErrors.TaskCancelled, task]);

    /// <summary>task.cancel: asks the running operation to stop; it ends as <c>cancelled</c>.</summary>
    public void Cancel(string task)
    {
        db.Write(tx =>
        {
            var row = tx.Get(XenModel.Task, task);
            if (row.String("status") != "pending")
            {
                throw new XenApiFailure(XenErrors.OperationNotAllowed, $"task {task} is {row.String("status")}, not pending");
            }

            tx.Update(XenModel.Task, task, ("status", "cancelling"));
        });
        if (_cancellation.TryGetValue(task, out var source))
        {
            source.Cancel();
        }
        else
        {
            // A client-owned task with nothing running behind it: cancelling it is immediate.
            Cancelled(task);
        }
    }

    public void Destroy(string task)
    {
        db.Write(tx =>
        {
            tx.Get(XenModel.Task, task);
            tx.Delete(XenModel.Task, task);
        });
        _owners.TryRemove(task, out _);
        Forget(task);
    }

    /// <summary>Removes finished tasks older than <paramref name="age"/> that nobody destroyed.</summary>
    public int Expire(TimeSpan age)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - age;
        return db.Write(tx =>
        {
            var stale = tx.All(XenModel.Task)
                .Where(t => t.String("status") is not ("pending" or "cancelling") && (DateTime)t["finished"]! < cutoff)
                .Select(t => t.Ref)
                .ToList();
            foreach (var task in stale)
            {
                tx.Delete(XenModel.Task, task);
                _owners.TryRemove(task, out _);
            }

            return stale.Count;
        });
    }

    private void Finish(string task, string status, string result, object?[] errorInfo)
    {
        Update(task,
            ("status", status),
            ("progress", 1.0),
            ("finished", time.GetUtcNow().UtcDateTime),
            ("result", result),
            ("error_info", errorInfo),
            ("allowed_operations", Array.Empty<object?>()));
        Forget(task);
    }

    private void Forget(string task)
    {
        _progress.TryRemove(task, out _);
        if (_cancellation.TryRemove(task, out var source))
        {
            source.Dispose();
        }
    }

    private void Update(string task, params (string Field, object? Value)[] changes) =>
        db.Write(tx =>
        {
            // The client may already have destroyed the task; the work itself still happened.
            if (tx.Exists(XenModel.Task, task))
            {
                tx.Update(XenModel.Task, task, changes);
            }
        });

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Asynchronous {Method} raised an unexpected exception")]
    private static partial void LogUnexpected(ILogger logger, string method, Exception exception);
}
