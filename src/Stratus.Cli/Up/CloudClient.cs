using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Stratus.Cli.Up;

/// <summary>
/// A small client for the controller's own REST APIs, used by <c>stratus up</c>'s bootstrap and by status and why:
/// a Keystone password login scoped to a project, then JSON calls with the token.
/// </summary>
internal sealed class CloudClient : IDisposable
{
    private readonly HttpClient _http;

    private CloudClient(HttpClient http, string token, string projectId)
    {
        _http = http;
        Token = token;
        ProjectId = projectId;
    }

    public string Token { get; }

    public string ProjectId { get; }

    public static async Task<CloudClient> LoginAsync(string baseUrl, string user, string password, string project, CancellationToken cancellationToken)
    {
        var http = new HttpClient { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(10) };
        var body = new JsonObject
        {
            ["auth"] = new JsonObject
            {
                ["identity"] = new JsonObject
                {
                    ["methods"] = new JsonArray("password"),
                    ["password"] = new JsonObject { ["user"] = new JsonObject { ["name"] = user, ["domain"] = new JsonObject { ["id"] = "default" }, ["password"] = password } },
                },
                ["scope"] = new JsonObject { ["project"] = new JsonObject { ["name"] = project, ["domain"] = new JsonObject { ["id"] = "default" } } },
            },
        };
        using var response = await http.PostAsync("identity/v3/auth/tokens", Json(body), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            http.Dispose();
            throw new CloudApiException((int)response.StatusCode, "POST identity/v3/auth/tokens", text);
        }

        var token = response.Headers.GetValues("X-Subject-Token").First();
        var projectId = JsonNode.Parse(text)?["token"]?["project"]?["id"]?.GetValue<string>() ?? "";
        http.DefaultRequestHeaders.Add("X-Auth-Token", token);
        return new CloudClient(http, token, projectId);
    }

    public Task<JsonObject> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    /// <summary>A GET at a compute microversion (OpenStack-API-Version: compute X.Y), e.g. 2.62 for instance action events with their hosts.</summary>
    public Task<JsonObject> GetAsync(string path, string computeMicroversion, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken, computeMicroversion);

    public Task<JsonObject> PostAsync(string path, JsonObject body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public Task<JsonObject> PutAsync(string path, JsonObject? body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Put, path, body, cancellationToken);

    /// <summary>Uploads a file as the request body (Glance's image upload), streamed.</summary>
    public async Task PutFileAsync(string path, string file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        using var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.ContentLength = stream.Length;
        using var response = await _http.PutAsync(path.TrimStart('/'), content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new CloudApiException((int)response.StatusCode, $"PUT {path}", await response.Content.ReadAsStringAsync(cancellationToken));
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken, string? computeMicroversion = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (computeMicroversion is not null)
        {
            request.Headers.Add("OpenStack-API-Version", $"compute {computeMicroversion}");
        }

        if (body is not null)
        {
            request.Content = Json(body);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new CloudApiException((int)response.StatusCode, $"{method} {path}", text);
        }

        return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
