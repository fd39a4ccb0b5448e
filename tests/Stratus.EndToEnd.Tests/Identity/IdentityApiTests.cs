using System.Globalization;
using System.Text.Json.Nodes;
using Stratus.Testing;

namespace Stratus.EndToEnd.Tests.Identity;

/// <summary>Keystone's wire contract (openstack-api.md §2) over plain HTTP against a real controller.</summary>
public sealed class IdentityApiTests(IdentityCloudFixture cloud) : IClassFixture<IdentityCloudFixture>
{
    [Fact]
    public async Task Discovery_WithoutToken_Root300WithLocationAndV3Document()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new KeystoneHttp(cloud.Url);
        var v3 = cloud.Url.ToString().TrimEnd('/') + "/identity/v3/";

        using var root = await http.SendAsync(HttpMethod.Get, "identity", null, cancellationToken: ct);
        var version = await http.CallAsync(HttpMethod.Get, "identity/v3", null, cancellationToken: ct);
        var slash = await http.CallAsync(HttpMethod.Get, "identity/v3/", null, cancellationToken: ct);

        Assert.Equal(300, (int)root.StatusCode);
        Assert.Equal(v3, root.Headers.Location!.ToString());
        var values = JsonNode.Parse(await root.Content.ReadAsStringAsync(ct))!["versions"]!["values"]!.AsArray();
        Assert.Equal("v3.14", (string)values.Single()!["id"]!);
        Assert.Equal(200, version.Status);
        Assert.Equal(200, slash.Status);
        Assert.Equal("stable", (string)version.Body!["version"]!["status"]!);
        Assert.Equal(v3, (string)version.Body["version"]!["links"]![0]!["href"]!);
        Assert.Equal("application/vnd.openstack.identity-v3+json", (string)version.Body["version"]!["media-types"]![0]!["type"]!);
    }

    [Fact]
    public async Task ValidateToken_SameBodyAsIssueWithHeaderAndNocatalog()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new KeystoneHttp(cloud.Url);
        var (token, issued) = await http.AdminAsync(ct);

        using var response = await http.SendAsync(HttpMethod.Get, "identity/v3/auth/tokens", token, subject: token, cancellationToken: ct);
        var validated = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
        var nocatalog = await http.SendAsync(HttpMethod.Get, "identity/v3/auth/tokens?nocatalog", token, subject: token, cancellationToken: ct);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(token, response.Headers.GetValues("X-Subject-Token").Single());
        Assert.True(JsonNode.DeepEquals(issued, validated), $"issued {issued.ToJsonString()}\nvalidated {validated.ToJsonString()}");
        var body = issued["token"]!;
        var issuedAt = DateTime.ParseExact((string)body["issued_at"]!, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        var expiresAt = DateTime.ParseExact((string)body["expires_at"]!, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromHours(1), expiresAt - issuedAt);
        Assert.Equal(["admin", "member", "reader"], body["roles"]!.AsArray().Select(r => (string)r!["name"]!));
        Assert.Equal(["password"], body["methods"]!.AsArray().Select(m => (string)m!));
        Assert.Equal(22, ((string)body["audit_ids"]![0]!).Length);
        Assert.Equal("Default", (string)body["project"]!["domain"]!["name"]!);
        Assert.False((bool)body["is_domain"]!);
        var stripped = JsonNode.Parse(await nocatalog.Content.ReadAsStringAsync(ct))!["token"]!.AsObject();
        Assert.False(stripped.ContainsKey("catalog"));
        Assert.Equal((string)body["expires_at"]!, (string)stripped["expires_at"]!);
    }

    [Fact]
    public async Task RevokeToken_ThenCheckOrValidate_NotFoundWithKeystoneBody()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new KeystoneHttp(cloud.Url);
        var (admin, _) = await http.AdminAsync(ct);
        var (victim, _) = await http.AdminAsync(ct);

        using var before = await http.SendAsync(HttpMethod.Head, "identity/v3/auth/tokens", admin, subject: victim, cancellationToken: ct);
        using var revoke = await http.SendAsync(HttpMethod.Delete, "identity/v3/auth/tokens", admin, subject: victim, cancellationToken: ct);
        using var after = await http.SendAsync(HttpMethod.Head, "identity/v3/auth/tokens", admin, subject: victim, cancellationToken: ct);
        var validate = await CallWithSubjectAsync(http, admin, victim, ct);
        var useRevoked = await http.CallAsync(HttpMethod.Get, "identity/v3/auth/catalog", victim, cancellationToken: ct);

        Assert.Equal(200, (int)before.StatusCode);
        Assert.Equal(204, (int)revoke.StatusCode);
        Assert.Equal(404, (int)after.StatusCode);
        Assert.Equal(404, validate.Status);
        Assert.Equal($"Could not find token: {victim}.", (string)validate.Body!["error"]!["message"]!);
        Assert.Equal("Not Found", (string)validate.Body["error"]!["title"]!);
        Assert.Equal(401, useRevoked.Status);
    }

    [Fact]
    public async Task IssueToken_WrongPasswordOrUnknownUserOrProject_401KeystoneBody()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new KeystoneHttp(cloud.Url);
        foreach (var (user, password, project) in new[] { ("admin", "wrong", "admin"), ("nobody", CloudProcess.AdminPassword, "admin"), ("admin", CloudProcess.AdminPassword, "no-such-project") })
        {
            using var response = await http.SendAsync(HttpMethod.Post, "identity/v3/auth/tokens", null, KeystoneHttp.PasswordAuth(user, password, project), cancellationToken: ct);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;

            Assert.Equal(401, (int)response.StatusCode);
            Assert.False(response.Headers.Contains("X-Subject-Token"));
            Assert.Equal("""{"error":{"code":401,"title":"Unauthorized","message":"The request you have made requires authentication."}}""", body.ToJsonString());
            Assert.StartsWith("Keystone uri=", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnyV3Call_WithoutOrWithBadToken_401()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new KeystoneHttp(cloud.Url);

        Assert.Equal(401, (await http.CallAsync(HttpMethod.Get, "identity/v3/projects", null, cancellationToken: ct)).Status);
        Assert.Equal(401, (await http.CallAsync(HttpMethod.Get, "identity/v3/projects", "AQABAQFnot-a-real-token", cancellationToken: ct)).Status);
    }

    [Fact]
    public async Task BadInput_DocumentedStatusesWithKeystoneBodies()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new KeystoneHttp(cloud.Url);
        var (admin, _) = await http.AdminAsync(ct);
        var name = IdentityCloudFixture.Unique("dup");
        var created = await http.CallAsync(HttpMethod.Post, "identity/v3/projects", admin, $$$"""{"project":{"name":"{{{name}}}"}}""", ct);

        var cases = new (HttpMethod Method, string Path, string? Body, int Status)[]
        {
            (HttpMethod.Post, "identity/v3/auth/tokens", "{\"auth\":", 400),
            (HttpMethod.Post, "identity/v3/auth/tokens", "[1,2]", 400),
            (HttpMethod.Post, "identity/v3/auth/tokens", """{"auth":{"identity":{"methods":["password"]}}}""", 400),
            (HttpMethod.Post, "identity/v3/auth/tokens", """{"auth":{"identity":{"methods":["totp"],"totp":{}}}}""", 401),
            (HttpMethod.Post, "identity/v3/projects", "not json", 400),
            (HttpMethod.Post, "identity/v3/projects", """{"project":{"name":7}}""", 400),
            (HttpMethod.Post, "identity/v3/projects", """{"project":{}}""", 400),
            (HttpMethod.Post, "identity/v3/projects", $$$"""{"project":{"name":"{{{name}}}"}}""", 409),
            (HttpMethod.Post, "identity/v3/projects", """{"project":{"name":"x","domain_id":"no-such-domain"}}""", 404),
            (HttpMethod.Post, "identity/v3/projects", """{"project":{"name":"x","tags":["a/b"]}}""", 400),
            (HttpMethod.Post, "identity/v3/projects", "{\"project\":{\"name\":\"" + new string('x', 2 << 20) + "\"}}", 413),
            (HttpMethod.Get, "identity/v3/projects/0123456789abcdef0123456789abcdef", null, 404),
            (HttpMethod.Patch, "identity/v3/projects/" + (string)created.Body!["project"]!["id"]!, """{"project":{"domain_id":"other"}}""", 400),
            (HttpMethod.Delete, "identity/v3/users/0123456789abcdef0123456789abcdef", null, 404),
            (HttpMethod.Post, "identity/v3/users", """{"user":{"name":"admin"}}""", 409),
            (HttpMethod.Post, "identity/v3/roles", """{"role":{"name":"member"}}""", 409),
            (HttpMethod.Get, "identity/v3/roles/nope", null, 404),
            (HttpMethod.Get, "identity/v3/no-such-thing", null, 404),
            (HttpMethod.Put, "identity/v3/projects", null, 405),
            (HttpMethod.Delete, "identity/v3/domains/default", null, 403),
        };
        foreach (var (method, path, body, status) in cases)
        {
            var (actual, json) = await http.CallAsync(method, path, admin, body, ct);

            Assert.True(status == actual, $"{method} {path} {body?[..Math.Min(body.Length, 80)]}: expected {status}, got {actual} {json?.ToJsonString()}");
            Assert.Equal(status, (int)json!["error"]!["code"]!);
            Assert.False(string.IsNullOrEmpty((string?)json["error"]!["message"]), json.ToJsonString());
        }

        Assert.Equal(201, created.Status);
    }

    [Fact]
    public async Task TempestDynamicCredentials_CreateGrantAuthenticateAndClean()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new KeystoneHttp(cloud.Url);
        var (admin, _) = await http.AdminAsync(ct);
        var name = IdentityCloudFixture.Unique("tempest");

        var domains = await http.CallAsync(HttpMethod.Get, "identity/v3/domains?name=Default", admin, cancellationToken: ct);
        var domainId = (string)domains.Body!["domains"]![0]!["id"]!;
        var project = await http.CallAsync(HttpMethod.Post, "identity/v3/projects", admin, $$$"""{"project":{"name":"{{{name}}}","description":"{{{name}}}-desc","domain_id":"{{{domainId}}}"}}""", ct);
        var projectId = (string)project.Body!["project"]!["id"]!;
        var user = await http.CallAsync(HttpMethod.Post, "identity/v3/users", admin, $$$"""{"user":{"name":"{{{name}}}","password":"pw","domain_id":"{{{domainId}}}","project_id":"{{{projectId}}}","email":"{{{name}}}@example.com"}}""", ct);
        var userId = (string)user.Body!["user"]!["id"]!;
        var roles = await http.CallAsync(HttpMethod.Get, "identity/v3/roles", admin, cancellationToken: ct);
        var memberRole = roles.Body!["roles"]!.AsArray().Single(r => (string)r!["name"]! == "member")!["id"]!.ToString();
        using var grant = await http.SendAsync(HttpMethod.Put, $"identity/v3/projects/{projectId}/users/{userId}/roles/{memberRole}", admin, cancellationToken: ct);
        var (token, body) = await http.IssueAsync(name, "pw", name, ct);
        using var deleteUser = await http.SendAsync(HttpMethod.Delete, $"identity/v3/users/{userId}", admin, cancellationToken: ct);
        using var deleteProject = await http.SendAsync(HttpMethod.Delete, $"identity/v3/projects/{projectId}", admin, cancellationToken: ct);
        var afterDelete = await http.CallAsync(HttpMethod.Get, "identity/v3/auth/catalog", token, cancellationToken: ct);

        Assert.Equal(200, domains.Status);
        Assert.Equal("default", domainId);
        Assert.Equal(201, project.Status);
        Assert.Equal(32, projectId.Length);
        Assert.Equal($"{name}-desc", (string)project.Body["project"]!["description"]!);
        Assert.Equal(201, user.Status);
        Assert.False(user.Body["user"]!.AsObject().ContainsKey("password"));
        Assert.Equal($"{name}@example.com", (string)user.Body["user"]!["email"]!);
        Assert.Equal(["admin", "member", "reader"], roles.Body["roles"]!.AsArray().Select(r => (string)r!["name"]!).Order());
        Assert.Equal(204, (int)grant.StatusCode);
        Assert.Equal(["member", "reader"], body["token"]!["roles"]!.AsArray().Select(r => (string)r!["name"]!));
        Assert.Equal(4, body["token"]!["catalog"]!.AsArray().Count);
        Assert.Equal(204, (int)deleteUser.StatusCode);
        Assert.Equal(204, (int)deleteProject.StatusCode);
        Assert.Equal(401, afterDelete.Status);
    }

    [Fact]
    public async Task Member_ReadsItselfAndItsProjectOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new KeystoneHttp(cloud.Url);
        var (admin, adminBody) = await http.AdminAsync(ct);
        var name = IdentityCloudFixture.Unique("member");
        var project = await http.CallAsync(HttpMethod.Post, "identity/v3/projects", admin, $$$"""{"project":{"name":"{{{name}}}"}}""", ct);
        var projectId = (string)project.Body!["project"]!["id"]!;
        var user = await http.CallAsync(HttpMethod.Post, "identity/v3/users", admin, $$$"""{"user":{"name":"{{{name}}}","password":"pw","default_project_id":"{{{projectId}}}"}}""", ct);
        var userId = (string)user.Body!["user"]!["id"]!;
        var memberRole = (await http.CallAsync(HttpMethod.Get, "identity/v3/roles?name=member", admin, cancellationToken: ct)).Body!["roles"]![0]!["id"]!.ToString();
        using var grant = await http.SendAsync(HttpMethod.Put, $"identity/v3/projects/{projectId}/users/{userId}/roles/{memberRole}", admin, cancellationToken: ct);
        var (member, _) = await http.IssueAsync(name, "pw", null, ct);
        var adminProjectId = (string)adminBody["token"]!["project"]!["id"]!;
        var adminUserId = (string)adminBody["token"]!["user"]!["id"]!;

        Assert.Equal(200, (await http.CallAsync(HttpMethod.Get, $"identity/v3/users/{userId}", member, cancellationToken: ct)).Status);
        Assert.Equal(200, (await http.CallAsync(HttpMethod.Get, $"identity/v3/projects/{projectId}", member, cancellationToken: ct)).Status);
        var mine = await http.CallAsync(HttpMethod.Get, "identity/v3/auth/projects", member, cancellationToken: ct);
        Assert.Equal([projectId], mine.Body!["projects"]!.AsArray().Select(p => (string)p!["id"]!));
        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, "identity/v3/projects"),
            (HttpMethod.Get, "identity/v3/users"),
            (HttpMethod.Get, $"identity/v3/users/{adminUserId}"),
            (HttpMethod.Get, $"identity/v3/projects/{adminProjectId}"),
            (HttpMethod.Get, $"identity/v3/users/{adminUserId}/projects"),
            (HttpMethod.Get, "identity/v3/roles"),
            (HttpMethod.Get, "identity/v3/role_assignments"),
            (HttpMethod.Delete, $"identity/v3/projects/{adminProjectId}"),
            (HttpMethod.Put, $"identity/v3/projects/{adminProjectId}/users/{userId}/roles/{memberRole}"),
        })
        {
            var (status, body) = await http.CallAsync(method, path, member, cancellationToken: ct);
            Assert.True(status == 403, $"{method} {path}: {status} {body?.ToJsonString()}");
            Assert.Equal("Forbidden", (string)body!["error"]!["title"]!);
        }

        // The admin validating the member's token is fine; the member validating the admin's is not.
        Assert.Equal(403, (await CallWithSubjectAsync(http, member, admin, ct)).Status);
        Assert.Equal(200, (await CallWithSubjectAsync(http, admin, member, ct)).Status);
    }

    private static async Task<(int Status, JsonObject? Body)> CallWithSubjectAsync(KeystoneHttp http, string caller, string subject, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(HttpMethod.Get, "identity/v3/auth/tokens", caller, subject: subject, cancellationToken: cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text)!.AsObject());
    }
}
