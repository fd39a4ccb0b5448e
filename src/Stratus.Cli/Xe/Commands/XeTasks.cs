using Stratus.XenApi;

namespace Stratus.Cli.Xe.Commands;

/// <summary>
/// Long operations the way xapi's CLI runs them (cli_operations.ml <c>waiter</c>, cli_util.ml <c>track</c>):
/// <c>Async.C.m</c>, wait for the task through <c>event.from</c> on "task/&lt;ref&gt;", turn a failed task back into
/// its error, and destroy the task. A server without <c>Async.*</c> gets the plain call.
/// </summary>
internal static class XeTasks
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static async Task<string> RunAsync(XeInvocation inv, string method, CancellationToken ct, params object?[] arguments)
    {
        string task;
        try
        {
            task = XeText.Of(await inv.CallAsync("Async." + method, ct, arguments));
        }
        catch (XenApiFailure failure) when (failure.Code == XenErrors.MessageMethodUnknown)
        {
            return XeText.Of(await inv.CallAsync(method, ct, arguments));
        }

        try
        {
            await WaitAsync(inv, task, ct);
            return await ResultAsync(inv, task, ct);
        }
        finally
        {
            try
            {
                await inv.CallAsync("task.destroy", CancellationToken.None, task);
            }
            catch (XenApiFailure)
            {
                // The task is gone already; nothing to tidy.
            }
        }
    }

    private static async Task WaitAsync(XeInvocation inv, string task, CancellationToken ct)
    {
        var token = "";
        var useEvents = true;
        while (XeText.Of(await inv.CallAsync("task.get_status", ct, task)) == "pending")
        {
            if (useEvents)
            {
                try
                {
                    var batch = await inv.CallAsync("event.from", ct, new object?[] { $"task/{task}" }, token, 30.0) as IReadOnlyDictionary<string, object?>;
                    token = XeText.Of(batch?.GetValueOrDefault("token"));
                    continue;
                }
                catch (XenApiFailure failure) when (failure.Code is XenErrors.MessageMethodUnknown or XenErrors.EventFromTokenParseFailure
                                                         or XenErrors.EventSubscriptionParseFailure or XenErrors.EventsLost)
                {
                    // No usable event stream: poll the status instead.
                    useEvents = false;
                }
            }

            await Task.Delay(PollInterval, inv.Context.Time, ct);
        }
    }

    /// <summary>cli_util.ml <c>result_from_task</c>.</summary>
    private static async Task<string> ResultAsync(XeInvocation inv, string task, CancellationToken ct)
    {
        switch (XeText.Of(await inv.CallAsync("task.get_status", ct, task)))
        {
            case "success":
                return XeText.Of(await inv.CallAsync("task.get_result", ct, task));
            case "cancelling" or "cancelled":
                throw new XenApiFailure(XenErrors.TaskCancelled, task);
            default:
                var info = XeText.Set(await inv.CallAsync("task.get_error_info", ct, task));
                throw info.Count > 0
                    ? new XenApiFailure(info[0], [.. info.Skip(1)])
                    : new XenApiFailure(XenErrors.InternalError, $"Failure: Task failed but no error recorded: {task}");
        }
    }
}
