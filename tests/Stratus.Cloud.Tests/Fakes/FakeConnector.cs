using System.Collections.Concurrent;
using Stratus.Cloud.Conductor.Hosts;
using Stratus.XenApi.Client;

namespace Stratus.Cloud.Tests.Fakes;

/// <summary>Routes the conductor's XenAPI clients and transfers to <see cref="FakeXenHost"/>s by URL host.</summary>
internal sealed class FakeConnector : IXenApiConnector
{
    private readonly ConcurrentDictionary<string, FakeXenHost> _hosts = new(StringComparer.OrdinalIgnoreCase);

    public FakeConnector()
    {
        Transfers = new HttpClient(new Router(this), disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public HttpClient Transfers { get; }

    public FakeXenHost Add(FakeXenHost host)
    {
        _hosts[host.Url.Host] = host;
        return host;
    }

    public XenApiClient CreateClient(Uri server) => new(server, XenTransport.JsonRpc, Find(server));

    private FakeXenHost Find(Uri server) =>
        _hosts.TryGetValue(server.Host, out var host) ? host : throw new HttpRequestException($"No such host: {server.Host}");

    private sealed class Router(FakeConnector connector) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var host = connector.Find(request.RequestUri!);
            using var invoker = new HttpMessageInvoker(host, disposeHandler: false);
            return invoker.SendAsync(request, cancellationToken);
        }
    }
}
