using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Stratus.Testing;

namespace Stratus.EndToEnd.Tests;

/// <summary>Steps the OpenStack end-to-end tests share: run a CLI command that must work, make a member of a new project, get a token.</summary>
internal static class CliSteps
{
    /// <summary>Runs <c>openstack args</c>; fails the test with the CLI's output unless it exits 0. JSON output is parsed.</summary>
    public static async Task<JsonNode?> RunAsync(OpenStackClient client, CancellationToken cancellationToken, params string[] args)
    {
        var result = await client.OpenStackAsync(cancellationToken, args);
        Assert.True(result.ExitCode == 0, $"openstack {string.Join(' ', args)}: {result}");
        return args.Contains("json") ? JsonNode.Parse(result.Stdout) : null;
    }

    /// <summary>A new project with a member user in it (through the real CLI, as an operator would).</summary>
    public static async Task<OpenStackClient> MemberOfNewProjectAsync(Uri cloud, string prefix, CancellationToken cancellationToken)
    {
        var admin = OpenStackClient.Admin(cloud);
        var project = Unique(prefix + "-proj");
        var user = Unique(prefix + "-user");
        await RunAsync(admin, cancellationToken, "project", "create", project);
        await RunAsync(admin, cancellationToken, "user", "create", "--password", "member-pw", "--project", project, user);
        await RunAsync(admin, cancellationToken, "role", "add", "--user", user, "--project", project, "member");
        return new OpenStackClient(cloud, user, "member-pw", project);
    }

    /// <summary>A token from <c>openstack token issue</c>, for checking wire details the CLIs hide.</summary>
    public static async Task<string> TokenAsync(OpenStackClient client, CancellationToken cancellationToken)
    {
        var result = await client.OpenStackAsync(cancellationToken, "token", "issue", "-f", "value", "-c", "id");
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout.Trim();
    }

    public static async Task<(int Status, string? MediaType, string Body)> GetAsync(Uri cloud, string path, string token, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = cloud };
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        request.Headers.Add("X-Auth-Token", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, cancellationToken);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
