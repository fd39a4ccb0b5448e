using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Stratus.Testing;

namespace Stratus.EndToEnd.Tests.Identity;

/// <summary>Plain HTTP against the controller's keystone, for what the CLIs do not show: statuses, headers, bodies.</summary>
internal sealed class KeystoneHttp(Uri cloud) : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = cloud };

    public static string PasswordAuth(string user, string password, string? project) =>
        new JsonObject
        {
            ["auth"] = new JsonObject
            {
                ["identity"] = new JsonObject
                {
                    ["methods"] = new JsonArray("password"),
                    ["password"] = new JsonObject { ["user"] = new JsonObject { ["name"] = user, ["domain"] = new JsonObject { ["id"] = "default" }, ["password"] = password } },
                },
                ["scope"] = project is null ? null : new JsonObject { ["project"] = new JsonObject { ["name"] = project, ["domain"] = new JsonObject { ["name"] = "Default" } } },
            },
        }.ToJsonString();

    public async Task<(string Token, JsonObject Body)> IssueAsync(string user, string password, string? project, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "identity/v3/auth/tokens", null, PasswordAuth(user, password, project), cancellationToken: cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return (response.Headers.GetValues("X-Subject-Token").Single(), JsonNode.Parse(text)!.AsObject());
    }

    public Task<(string Token, JsonObject Body)> AdminAsync(CancellationToken cancellationToken) =>
        IssueAsync("admin", CloudProcess.AdminPassword, "admin", cancellationToken);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, string? body = null, string? subject = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Add("X-Auth-Token", token);
        }

        if (subject is not null)
        {
            request.Headers.Add("X-Subject-Token", subject);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        return await _http.SendAsync(request, cancellationToken);
    }

    /// <summary>Sends and returns the status with the parsed JSON body (null when there is none).</summary>
    public async Task<(int Status, JsonObject? Body)> CallAsync(HttpMethod method, string path, string? token, string? body = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(method, path, token, body, cancellationToken: cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text)!.AsObject());
    }

    public void Dispose() => _http.Dispose();
}
