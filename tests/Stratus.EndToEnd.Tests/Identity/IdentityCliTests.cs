using System.Text.Json.Nodes;
using Stratus.Testing;

namespace Stratus.EndToEnd.Tests.Identity;

/// <summary>The real <c>openstack</c> CLI (python3-openstackclient 6.0.0) against a real controller.</summary>
public sealed class IdentityCliTests(IdentityCloudFixture cloud) : IClassFixture<IdentityCloudFixture>
{
    [Fact]
    public async Task TokenIssue_Admin_TokenForTheAdminProjectThatValidates()
    {
        var ct = TestContext.Current.CancellationToken;

        var result = await OpenStackClient.Admin(cloud.Url).OpenStackAsync(ct, "token", "issue", "-f", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var token = JsonNode.Parse(result.Stdout)!.AsObject();
        Assert.Matches("^[0-9a-f]{32}$", (string)token["project_id"]!);
        Assert.Matches("^[0-9a-f]{32}$", (string)token["user_id"]!);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$", (string)token["expires"]!);
        using var http = new KeystoneHttp(cloud.Url);
        var (admin, _) = await http.AdminAsync(ct);
        using var check = await http.SendAsync(HttpMethod.Head, "identity/v3/auth/tokens", admin, subject: (string)token["id"]!, cancellationToken: ct);
        Assert.Equal(200, (int)check.StatusCode);
    }

    [Fact]
    public async Task CatalogList_Admin_FourServicesWithThreeInterfacesOnOurUrls()
    {
        var ct = TestContext.Current.CancellationToken;

        var result = await OpenStackClient.Admin(cloud.Url).OpenStackAsync(ct, "catalog", "list", "-f", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var services = JsonNode.Parse(result.Stdout)!.AsArray().Select(s => s!.AsObject()).ToDictionary(s => (string)s["Type"]!);
        var root = cloud.Url.ToString().TrimEnd('/');
        var expected = new Dictionary<string, (string Name, string Url)>
        {
            ["identity"] = ("keystone", root + "/identity"),
            ["compute"] = ("nova", root + "/compute/v2.1"),
            ["image"] = ("glance", root + "/image"),
            ["network"] = ("neutron", root + "/networking"),
        };
        Assert.Equal(expected.Keys.Order(), services.Keys.Order());
        foreach (var (type, (name, url)) in expected)
        {
            Assert.Equal(name, (string)services[type]["Name"]!);
            var endpoints = services[type]["Endpoints"]!.AsArray().Select(e => e!.AsObject()).ToList();
            Assert.Equal(["admin", "internal", "public"], endpoints.Select(e => (string)e["interface"]!).Order());
            Assert.All(endpoints, e => Assert.Equal(url, (string)e["url"]!));
            Assert.All(endpoints, e => Assert.Equal("RegionOne", (string)e["region"]!));
        }
    }

    [Fact]
    public async Task ProjectAndUserList_Admin_IncludeTheBootstrappedAdmin()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = OpenStackClient.Admin(cloud.Url);

        var projects = await client.OpenStackAsync(ct, "project", "list", "-f", "json");
        var users = await client.OpenStackAsync(ct, "user", "list", "-f", "json");

        Assert.True(projects.ExitCode == 0, projects.ToString());
        Assert.True(users.ExitCode == 0, users.ToString());
        Assert.Contains(JsonNode.Parse(projects.Stdout)!.AsArray(), p => (string)p!["Name"]! == "admin" && ((string)p["ID"]!).Length == 32);
        Assert.Contains(JsonNode.Parse(users.Stdout)!.AsArray(), u => (string)u!["Name"]! == "admin");
    }

    [Fact]
    public async Task Member_SeesOnlyItsOwnProjectAndIsForbiddenAdminCalls()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = OpenStackClient.Admin(cloud.Url);
        var project = IdentityCloudFixture.Unique("proj");
        var user = IdentityCloudFixture.Unique("user");
        await RunAsync(admin, ct, "project", "create", project);
        await RunAsync(admin, ct, "user", "create", "--password", "member-pw", "--project", project, user);
        await RunAsync(admin, ct, "role", "add", "--user", user, "--project", project, "member");
        var member = new OpenStackClient(cloud.Url, user, "member-pw", project);

        var projects = await member.OpenStackAsync(ct, "project", "list", "-f", "json");
        var users = await member.OpenStackAsync(ct, "user", "list");
        var adminProject = await member.OpenStackAsync(ct, "project", "show", "admin");
        var create = await member.OpenStackAsync(ct, "project", "create", IdentityCloudFixture.Unique("nope"));
        var self = await member.OpenStackAsync(ct, "user", "show", user, "-f", "json");

        // OSC falls back to GET /v3/users/{me}/projects when GET /v3/projects is forbidden.
        Assert.True(projects.ExitCode == 0, projects.ToString());
        Assert.Equal([project], JsonNode.Parse(projects.Stdout)!.AsArray().Select(p => (string)p!["Name"]!));
        Assert.NotEqual(0, users.ExitCode);
        Assert.Contains("(HTTP 403)", users.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, adminProject.ExitCode);
        Assert.NotEqual(0, create.ExitCode);
        Assert.Contains("(HTTP 403)", create.Stderr, StringComparison.Ordinal);
        Assert.True(self.ExitCode == 0, self.ToString());
        Assert.Equal(user, (string)JsonNode.Parse(self.Stdout)!["name"]!);
    }

    [Fact]
    public async Task TokenIssue_WrongPassword_FailsWith401()
    {
        var ct = TestContext.Current.CancellationToken;

        var result = await new OpenStackClient(cloud.Url, "admin", "not-the-password", "admin").OpenStackAsync(ct, "token", "issue");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The request you have made requires authentication. (HTTP 401)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserPasswordSet_OwnPassword_OldPasswordStopsWorking()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = OpenStackClient.Admin(cloud.Url);
        var project = IdentityCloudFixture.Unique("proj");
        var user = IdentityCloudFixture.Unique("user");
        await RunAsync(admin, ct, "project", "create", project);
        await RunAsync(admin, ct, "user", "create", "--password", "old-pw", user);
        await RunAsync(admin, ct, "role", "add", "--user", user, "--project", project, "reader");

        await RunAsync(new OpenStackClient(cloud.Url, user, "old-pw", project), ct, "user", "password", "set", "--original-password", "old-pw", "--password", "new-pw");

        Assert.NotEqual(0, (await new OpenStackClient(cloud.Url, user, "old-pw", project).OpenStackAsync(ct, "token", "issue")).ExitCode);
        await RunAsync(new OpenStackClient(cloud.Url, user, "new-pw", project), ct, "token", "issue");
    }

    [Fact]
    public async Task Nova_Authenticates_AndFindsComputeInTheCatalog()
    {
        var ct = TestContext.Current.CancellationToken;

        // Whatever the compute API answers, nova must first get a token and take the compute URL from its catalog.
        var result = await OpenStackClient.Admin(cloud.Url).NovaAsync(ct, "--debug", "list");

        var root = cloud.Url.ToString().TrimEnd('/');
        Assert.Contains("\"POST /identity/v3/auth/tokens HTTP/1.1\" 201", result.Stderr, StringComparison.Ordinal);
        Assert.Matches($"REQ: curl -g -i -X GET {System.Text.RegularExpressions.Regex.Escape(root)}/compute/v2\\.1.*X-Auth-Token: \\{{SHA256\\}}", result.Stderr);
    }

    private static async Task RunAsync(OpenStackClient client, CancellationToken cancellationToken, params string[] args)
    {
        var result = await client.OpenStackAsync(cancellationToken, args);
        Assert.True(result.ExitCode == 0, $"openstack {string.Join(' ', args)}: {result}");
    }
}
