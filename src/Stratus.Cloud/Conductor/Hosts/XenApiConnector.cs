using Stratus.XenApi.Client;

namespace Stratus.Cloud.Conductor.Hosts;

/// <summary>The real thing: JSON-RPC to each host (what XenServer 7+, XCP-ng and the Stratus agent all speak).</summary>
internal sealed class XenApiConnector : IXenApiConnector, IDisposable
{
    public HttpClient Transfers { get; } = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) })
    {
        // Image streams take as long as they take; each transfer is bounded by its own cancellation.
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public XenApiClient CreateClient(Uri server) => new(server, XenTransport.JsonRpc);

    public void Dispose() => Transfers.Dispose();
}
