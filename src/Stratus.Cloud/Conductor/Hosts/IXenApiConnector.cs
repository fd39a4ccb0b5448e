using Stratus.XenApi.Client;

namespace Stratus.Cloud.Conductor.Hosts;

/// <summary>
/// How the conductor reaches XenAPI servers: a client per host URL (XenAPI calls) and an HTTP client for the
/// handlers beside it (<c>PUT /import_raw_vdi</c>, <c>GET /console_log</c>). Tests swap in a fake server here.
/// </summary>
internal interface IXenApiConnector
{
    XenApiClient CreateClient(Uri server);

    /// <summary>Shared by every host: streams image bytes and reads console logs.</summary>
    HttpClient Transfers { get; }
}
