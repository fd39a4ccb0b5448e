using System.Net;
using Stratus.XenApi.Client;

namespace Stratus.Cli.Xe;

/// <summary>
/// xe's connection (newcli.ml): XML-RPC on "/" (every xapi has it), TLS on port 443 unless --nossl (then plain HTTP
/// on 80), self-signed certificates accepted as xe's stunnel does, and never TLS to 127.0.0.1 ("never use SSL
/// on-host"). For convenience the server may also be given as a URL, <c>-s http://host:port</c>.
/// </summary>
internal sealed class XeConnection : IXeConnection
{
    private readonly XenApiClient _client;
    private readonly XenSession _session;

    private XeConnection(XenApiClient client, XenSession session)
    {
        _client = client;
        _session = session;
        Api = new SessionXenApi(session);
    }

    public IXenApi Api { get; }

    public static async Task<IXeConnection> OpenAsync(XeSettings settings, CancellationToken cancellationToken)
    {
        var client = new XenApiClient(ServerUri(settings), XenTransport.XmlRpc, allowUntrustedCertificates: true);
        try
        {
            var session = await XenSession.LoginAsync(client, settings.Username, settings.Password, cancellationToken);
            return new XeConnection(client, session);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>The XML-RPC endpoint for the settings: scheme, host and port as newcli.ml chooses them.</summary>
    public static Uri ServerUri(XeSettings settings)
    {
        var server = settings.Server;
        if ((server.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || server.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            && Uri.TryCreate(server, UriKind.Absolute, out var url))
        {
            var port = HasExplicitPort(server, url) ? url.Port : settings.Port ?? url.Port;
            return new UriBuilder(url.Scheme, url.Host, port, "/").Uri;
        }

        var ssl = settings.UseSsl && server != "127.0.0.1";
        var host = server.StartsWith('[') && server.EndsWith(']') ? server[1..^1] : server;
        if (IPAddress.TryParse(host, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            host = "[" + host + "]";
        }

        return new UriBuilder(ssl ? "https" : "http", host, settings.Port ?? (ssl ? 443 : 80), "/").Uri;
    }

    public async ValueTask DisposeAsync()
    {
        await _session.DisposeAsync();
        _client.Dispose();
    }

    private static bool HasExplicitPort(string server, Uri url)
    {
        // "http://host:80" names port 80 explicitly even though it is the default.
        var authority = server[(url.Scheme.Length + 3)..].Split('/')[0];
        var colon = authority.LastIndexOf(':');
        return colon >= 0 && colon > authority.LastIndexOf(']');
    }
}
