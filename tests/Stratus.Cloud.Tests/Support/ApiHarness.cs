using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stratus.Cloud.Identity;
using Stratus.Cloud.Image;
using Stratus.Cloud.Network;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.Persistence;
using Stratus.Testing;

namespace Stratus.Cloud.Tests.Support;

/// <summary>
/// The image and network APIs composed as in CloudHost, on a real Kestrel listener on port 0 with a fresh data
/// directory, and a fake token validator in place of Identity.
/// </summary>
internal sealed class ApiHarness : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly WebApplication _app;
    private readonly HttpClient _http;

    private ApiHarness(TempDirectory directory, WebApplication app, Uri baseUri, CloudOptions options)
    {
        _directory = directory;
        _app = app;
        BaseUri = baseUri;
        Options = options;
        _http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri BaseUri { get; }

    public CloudOptions Options { get; }

    public IServiceProvider Services => _app.Services;

    public string DataDirectory => _directory.Path;

    public static async Task<ApiHarness> StartAsync(CancellationToken cancellationToken)
    {
        var directory = new TempDirectory("stratus-cloud-api");
        var options = new CloudOptions { Listen = "127.0.0.1:0", DataDirectory = directory.Path };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (System.Environment.GetEnvironmentVariable("STRATUS_TEST_LOG") == "1")
        {
            builder.Logging.AddSimpleConsole();
        }
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Services
            .AddSingleton(options)
            .AddSingleton(TimeProvider.System)
            .AddPersistence(options)
            .AddOpenStack()
            .AddSingleton<ITokenValidator, FakeTokens>()
            .AddImages()
            .AddNetworks();
        var app = builder.Build();
        app.UseOpenStack();
        app.MapImages();
        app.MapNetworks();
        await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        options.PublicUrl = address.ToString().TrimEnd('/');
        return new ApiHarness(directory, app, address, options);
    }

    public T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public async Task<Reply> SendAsync(HttpMethod method, string path, string? token, HttpContent? content = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content };
        if (token is not null)
        {
            request.Headers.Add("X-Auth-Token", token);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var allHeaders = response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated)
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new Reply((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, allHeaders);
    }

    public Task<Reply> GetAsync(string path, string? token, CancellationToken cancellationToken = default) => SendAsync(HttpMethod.Get, path, token, null, cancellationToken);

    public Task<Reply> DeleteAsync(string path, string? token, CancellationToken cancellationToken = default) => SendAsync(HttpMethod.Delete, path, token, null, cancellationToken);

    public Task<Reply> PostAsync(string path, string? token, JsonNode body, CancellationToken cancellationToken = default) => SendAsync(HttpMethod.Post, path, token, Json(body), cancellationToken);

    public Task<Reply> PutAsync(string path, string? token, JsonNode body, CancellationToken cancellationToken = default) => SendAsync(HttpMethod.Put, path, token, Json(body), cancellationToken);

    public Task<Reply> PutBytesAsync(string path, string? token, byte[] data, CancellationToken cancellationToken = default)
    {
        var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return SendAsync(HttpMethod.Put, path, token, content, cancellationToken);
    }

    public Task<Reply> PutContentAsync(string path, string? token, HttpContent content, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, path, token, content, cancellationToken);

    public Task<Reply> PatchAsync(string path, string? token, JsonNode body, string contentType, CancellationToken cancellationToken = default)
    {
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return SendAsync(HttpMethod.Patch, path, token, content, cancellationToken);
    }

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
