using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Stratus.Host.Api.Dispatch;
using Stratus.Host.Api.Messages;
using Stratus.XenApi.Wire;

namespace Stratus.Host.Api;

/// <summary>
/// The XenAPI over HTTP (contract §1.1): JSON-RPC v1/v2 on <c>POST /jsonrpc</c>, XML-RPC on every other POST path
/// (xapi routes by longest prefix, so <c>/RPC2</c> and <c>/xmlrpc</c> land on <c>/</c>). Content types are exactly
/// <c>text/xml</c> and <c>application/json</c> with no charset, because the npm client compares them literally.
/// A malformed body is answered as a XenAPI failure (XMLRPC_UNMARSHAL_FAILURE), never as an HTTP error.
/// The handlers take the dispatcher from the request's services, so a <see cref="HostFarm"/> can serve many agents
/// from one listener by pointing each connection at its agent's services.
/// </summary>
internal static class XenApiEndpoints
{
    private const long MaxBody = 64L << 20;

    public static IEndpointRouteBuilder MapXenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/jsonrpc", HandleJsonAsync);
        endpoints.MapPost("/{**path}", HandleXmlAsync);
        endpoints.MapMethods("/{**path}", ["OPTIONS"], Preflight);
        endpoints.MapGet("/", () => Results.Text("Stratus host agent: XenAPI on POST / (XML-RPC) and POST /jsonrpc (JSON-RPC)\n"));
        return endpoints;
    }

    private static async Task HandleXmlAsync(HttpContext http, [FromServices] XenApiDispatcher dispatcher, [FromServices] ILoggerFactory loggers)
    {
        using var output = new ResponseBuffer();
        RpcRequest request;
        try
        {
            using var body = await ReadBodyAsync(http);
            request = XmlRpcReader.ReadCall(body);
        }
        catch (MalformedRequestException e)
        {
            XmlRpcWriter.WriteFailure(output, e.ToFailure().Description);
            await WriteAsync(http, "text/xml", output);
            return;
        }

        using (RequestScope(http, loggers))
        {
            var result = await dispatcher.DispatchAsync(request, http.RequestAborted);
            if (!result.IsSuccess)
            {
                XmlRpcWriter.WriteFailure(output, result.Failure!);
            }
            else if (request.Method == SystemMessages.ListMethods)
            {
                // xapi sends system.listMethods without the Status/Value wrapper (api_server.ml).
                XmlRpcWriter.WriteBare(output, result.Value);
            }
            else
            {
                XmlRpcWriter.WriteSuccess(output, result.Value);
            }
        }

        await WriteAsync(http, "text/xml", output);
    }

    private static async Task HandleJsonAsync(HttpContext http, [FromServices] XenApiDispatcher dispatcher, [FromServices] ILoggerFactory loggers)
    {
        using var output = new ResponseBuffer();
        RpcRequest request;
        try
        {
            using var body = await ReadBodyAsync(http);
            request = JsonRpcCodec.ReadCall(body.GetBuffer().AsMemory(0, (int)body.Length));
        }
        catch (MalformedRequestException e)
        {
            JsonRpcCodec.WriteFailure(output, JsonRpcVersion.V2, null, e.ToFailure().Description);
            await WriteAsync(http, "application/json", output);
            return;
        }

        using (RequestScope(http, loggers))
        {
            var result = await dispatcher.DispatchAsync(request, http.RequestAborted);
            if (result.IsSuccess)
            {
                JsonRpcCodec.WriteSuccess(output, request.Version, request.Id, result.Value);
            }
            else
            {
                JsonRpcCodec.WriteFailure(output, request.Version, request.Id, result.Failure!);
            }
        }

        await WriteAsync(http, "application/json", output);
    }

    private static IResult Preflight(HttpContext http)
    {
        http.Response.Headers.AccessControlAllowOrigin = "*";
        http.Response.Headers.AccessControlAllowMethods = "POST, OPTIONS";
        http.Response.Headers.AccessControlAllowHeaders = "content-type";
        return Results.Ok();
    }

    /// <summary>Buffers the request body (bounded); a body over the limit is a malformed request.</summary>
    private static async Task<MemoryStream> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBody)
        {
            throw new MalformedRequestException("a request under 64 MiB", $"{http.Request.ContentLength} bytes");
        }

        var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBody)
            {
                throw new MalformedRequestException("a request under 64 MiB", "a larger body");
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        return buffer;
    }

    private static async Task WriteAsync(HttpContext http, string contentType, ResponseBuffer output)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = contentType;
        http.Response.ContentLength = output.Length;
        http.Response.Headers.AccessControlAllowOrigin = "*";
        await output.CopyToAsync(http.Response.BodyWriter, http.RequestAborted);
    }

    /// <summary>Carries the caller's request id (X-Request-Id, e.g. the controller's req-...) into every log line of the call.</summary>
    private static IDisposable? RequestScope(HttpContext http, ILoggerFactory loggers)
    {
        var id = http.Request.Headers["X-Request-Id"].FirstOrDefault();
        if (string.IsNullOrEmpty(id))
        {
            id = "req-" + Guid.NewGuid().ToString("D");
        }

        http.Response.Headers["X-Request-Id"] = id;
        http.Features.Get<IHttpActivityFeature>()?.Activity.SetTag("request_id", id);
        // A message-template scope: the readable console prints "RequestId:req-…", the JSON one a RequestId property.
        return loggers.CreateLogger("Stratus.Host.Api").BeginScope("RequestId:{RequestId}", id);
    }
}
