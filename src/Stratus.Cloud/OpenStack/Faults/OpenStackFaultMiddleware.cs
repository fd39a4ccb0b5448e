namespace Stratus.Cloud.OpenStack.Faults;

/// <summary>
/// The one place error bodies are written. Catches <see cref="ApiException"/> (and anything unexpected, as a 500
/// that names no internals), and gives bodiless 404/405/415 responses from routing the service's own envelope,
/// chosen by path prefix. Headers set before the error (request id, microversion) stay on the response.
/// </summary>
internal sealed partial class OpenStackFaultMiddleware(RequestDelegate next, ILogger<OpenStackFaultMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var service = ServiceOf(http.Request.Path);
        try
        {
            await next(http);
            if (service != ServiceKind.None && http.Response.StatusCode >= 400 && !http.Response.HasStarted && http.Response.ContentLength is null && string.IsNullOrEmpty(http.Response.ContentType))
            {
                var message = http.Response.StatusCode switch
                {
                    404 => "The resource could not be found.",
                    405 => "The method is not allowed for the requested URL.",
                    415 => "The request media type is not supported.",
                    _ => "The request failed.",
                };
                await WriteAsync(http, service, http.Response.StatusCode, message, null, null);
            }
        }
        catch (ApiException e) when (!http.Response.HasStarted)
        {
            await WriteAsync(http, service, e.Status, e.Message, e.Kind, e.Details);
        }
        catch (BadHttpRequestException e) when (!http.Response.HasStarted)
        {
            await WriteAsync(http, service, e.StatusCode, e.Message, "BadRequest", null);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception e) when (!http.Response.HasStarted)
        {
            LogUnexpected(logger, http.Request.Method, http.Request.Path, http.RequestId(), e);
            await WriteAsync(http, service, 500, $"An unexpected error prevented the request from completing ({http.RequestId()}).", "HTTPInternalServerError", null);
        }
    }

    public static ServiceKind ServiceOf(PathString path) =>
        path.StartsWithSegments(ServiceUrls.ComputePrefix) ? ServiceKind.Compute
        : path.StartsWithSegments(ServiceUrls.IdentityPrefix) ? ServiceKind.Identity
        : path.StartsWithSegments(ServiceUrls.NetworkPrefix) ? ServiceKind.Network
        : path.StartsWithSegments(ServiceUrls.ImagePrefix) ? ServiceKind.Image
        : ServiceKind.None;

    private static async Task WriteAsync(HttpContext http, ServiceKind service, int status, string message, string? kind, string? details)
    {
        var (contentType, body) = FaultBodies.For(service, status, message, kind, details);
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        http.Response.ContentLength = body.Length;
        if (status == 401 && service == ServiceKind.Identity)
        {
            http.Response.Headers.WWWAuthenticate = $"Keystone uri=\"{http.RequestServices.GetRequiredService<ServiceUrls>().Identity}\"";
        }

        await http.Response.Body.WriteAsync(body);
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "{Method} {Path} ({RequestId}) failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, string method, string path, string requestId, Exception exception);
}
