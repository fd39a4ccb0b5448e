using System.Diagnostics;

namespace Stratus.Cloud.OpenStack;

/// <summary>
/// Gives every request a <c>req-…</c> id, returns it as <c>x-openstack-request-id</c> (and nova's
/// <c>x-compute-request-id</c>), and puts it in the log scope so one id finds a request's lines everywhere.
/// Each request that changes something is logged when it finishes (nova-api's "POST /v2.1/servers status: 202 …"
/// line), so <c>stratus logs --request</c> shows where a request entered; reads log at Debug to keep the API fast.
/// </summary>
internal sealed partial class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var id = http.RequestId();
        http.Response.Headers["x-openstack-request-id"] = id;
        if (http.Request.Path.StartsWithSegments(ServiceUrls.ComputePrefix))
        {
            http.Response.Headers["x-compute-request-id"] = id;
        }

        // A message-template scope: the readable console prints "RequestId:req-…" (a dictionary would print its type name).
        using (logger.BeginScope("RequestId:{RequestId}", id))
        {
            var started = Stopwatch.GetTimestamp();
            await next(http);
            var level = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) ? LogLevel.Debug : LogLevel.Information;
            if (logger.IsEnabled(level))
            {
                LogRequest(logger, level, http.Request.Method, http.Request.Path.Value ?? "", http.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }

    [LoggerMessage(EventId = 1001, Message = "{Method} {Path} status: {Status} time: {Milliseconds:0.0} ms")]
    private static partial void LogRequest(ILogger logger, LogLevel level, string method, string path, int status, double milliseconds);
}
