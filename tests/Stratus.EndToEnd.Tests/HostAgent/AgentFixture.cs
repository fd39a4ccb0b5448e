using System.Net.Http.Headers;
using System.Text;
using Stratus.Testing;
using Stratus.XenApi.Client;

namespace Stratus.EndToEnd.Tests.HostAgent;

/// <summary>
/// One real agent process (<c>stratus host serve --backend sim</c>) shared by the tests of a class. Tests that share
/// it create their own objects and never depend on each other's; tests that need a pristine or restarted agent
/// start their own.
/// </summary>
public class AgentFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new("stratus-e2e");
    private readonly HttpClient _http = new();

    public StratusProcess Agent { get; private set; } = null!;

    public Uri Url => Agent.Url;

    public string DataDirectory => _data.Path;

    /// <summary>Extra <c>host serve</c> arguments (a subclass can size the simulated host).</summary>
    protected virtual string[] Arguments => [];

    public async ValueTask InitializeAsync() =>
        Agent = await HostAgentProcess.StartAsync(_data.Path, TestContext.Current.CancellationToken, "sim", Arguments);

    public async Task<XenSession> LoginAsync(XenTransport transport, CancellationToken cancellationToken)
    {
        var client = new XenApiClient(Url, transport);
        return await XenSession.LoginAsync(client, "root", HostAgentProcess.Password, cancellationToken);
    }

    /// <summary>POSTs a raw body and returns the status, the exact content-type header and the body.</summary>
    public async Task<(int Status, string? ContentType, string Body)> PostAsync(string path, string body, string contentType, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await _http.PostAsync(new Uri(Url, path), content, cancellationToken);
        var type = response.Content.Headers.TryGetValues("Content-Type", out var values) ? string.Join(",", values) : null;
        return ((int)response.StatusCode, type, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        if (Agent is not null)
        {
            await Agent.DisposeAsync();
        }

        _http.Dispose();
        _data.Dispose();
        GC.SuppressFinalize(this);
    }
}
