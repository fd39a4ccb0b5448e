using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Stratus.XenApi.Wire;

namespace Stratus.XenApi.Client;

/// <summary>
/// A XenAPI connection to one server (ours or a real XenServer/XCP-ng): sends a call, returns its value or throws
/// <see cref="XenApiFailure"/>. Stateless apart from the URL, so one instance serves many sessions.
/// </summary>
public sealed class XenApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private long _nextId;

    public XenApiClient(Uri server, XenTransport transport = XenTransport.JsonRpc, HttpMessageHandler? handler = null, bool allowUntrustedCertificates = false)
    {
        Server = server;
        Transport = transport;
        if (handler is null)
        {
            var sockets = new SocketsHttpHandler
            {
                AutomaticDecompression = DecompressionMethods.None,
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            };
            if (allowUntrustedCertificates)
            {
                // XenServer hosts ship self-signed certificates; `xe` accepts them unless told otherwise.
#pragma warning disable CA5359 // Opt-in only, for the self-signed certificates XenServer installs by default.
                sockets.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
            }

            handler = sockets;
        }

        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _ownsHttp = true;
    }

    public Uri Server { get; }

    public XenTransport Transport { get; }

    /// <summary>
    /// Calls <paramref name="method"/> with the given wire parameters (the session ref first, where it takes one).
    /// <paramref name="requestId"/> (else the ambient <see cref="XenRequestId.Current"/>) goes out as <c>X-Request-Id</c>.
    /// </summary>
    public async Task<object?> CallAsync(string method, IReadOnlyList<object?> parameters, CancellationToken cancellationToken, string? requestId = null)
    {
        var body = new ArrayBufferWriter<byte>();
        string path;
        if (Transport == XenTransport.JsonRpc)
        {
            JsonRpcCodec.WriteCall(body, JsonRpcVersion.V2, Interlocked.Increment(ref _nextId), method, parameters);
            path = "jsonrpc";
        }
        else
        {
            XmlRpcWriter.WriteCall(body, method, parameters);
            path = "";
        }

        using var content = new ByteArrayContent(body.WrittenSpan.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(Transport == XenTransport.JsonRpc ? "application/json" : "text/xml");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Server, path)) { Content = content };
        if ((requestId ?? XenRequestId.Current) is { Length: > 0 } id)
        {
            request.Headers.TryAddWithoutValidation(XenRequestId.Header, id);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{Server} answered {method} with HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }

        if (Transport == XenTransport.JsonRpc)
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return JsonRpcCodec.ReadResponse(bytes);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return Unwrap(XmlRpcReader.ReadResponse(stream));
    }

    public Task<object?> CallAsync(string method, CancellationToken cancellationToken, params object?[] parameters) =>
        CallAsync(method, (IReadOnlyList<object?>)parameters, cancellationToken);

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>XML-RPC results arrive as <c>{Status, Value|ErrorDescription}</c>; a bare value (system.listMethods) passes through.</summary>
    private static object? Unwrap(object? response)
    {
        if (response is not IReadOnlyDictionary<string, object?> envelope || !envelope.TryGetValue("Status", out var status))
        {
            return response;
        }

        if (status is "Success")
        {
            return envelope.GetValueOrDefault("Value");
        }

        var description = envelope.GetValueOrDefault("ErrorDescription") as IReadOnlyList<object?> ?? [];
        var parts = description.Select(XenValue.ToDbString).ToArray();
        throw new XenApiFailure(parts.Length > 0 ? parts[0] : XenErrors.InternalError, parts.Skip(1).ToArray());
    }
}
