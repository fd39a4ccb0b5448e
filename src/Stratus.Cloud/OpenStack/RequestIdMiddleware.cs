namespace Stratus.Cloud.OpenStack;

/// <summary>
/// Gives every request a <c>req-…</c> id, returns it as <c>x-openstack-request-id</c> (and nova's
/// <c>x-compute-request-id</c>), and puts it in the log scope so one id finds a request's lines everywhere.
/// </summary>
internal sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
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
            await next(http);
        }
    }
}
