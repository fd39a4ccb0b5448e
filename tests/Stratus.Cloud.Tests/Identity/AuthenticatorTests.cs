using System.Text.Json.Nodes;
using Stratus.Cloud.Identity.Api;
using Stratus.Cloud.Identity.Tokens;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Tests.Identity;

public sealed class AuthenticatorTests
{
    [Fact]
    public async Task AuthenticateAsync_PasswordByNameAndDomainName_ProjectScopedToken()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var identity = await IdentityFixture.StartAsync(ct);

        var (token, valid) = await identity.Get<Authenticator>().AuthenticateAsync(Request("admin", IdentityFixture.AdminPassword, """{"project":{"name":"admin","domain":{"name":"Default"}}}"""), ct);

        Assert.Equal("admin", valid.Principal.ProjectName);
        Assert.NotNull(await identity.Tokens.ValidateAsync(token, ct));
    }

    [Fact]
    public async Task AuthenticateAsync_NoScope_ScopedToTheDefaultProject()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var identity = await IdentityFixture.StartAsync(ct);
        var (_, projectId) = await identity.MemberAsync("frank", ct);

        var (_, valid) = await identity.Get<Authenticator>().AuthenticateAsync(Request("frank", "frank-pw", null), ct);

        Assert.Equal(projectId, valid.Principal.ProjectId);
    }

    [Theory]
    [InlineData("admin", "wrong", """{"project":{"name":"admin","domain":{"id":"default"}}}""")]
    [InlineData("nobody", "admin-secret", """{"project":{"name":"admin","domain":{"id":"default"}}}""")]
    [InlineData("admin", "admin-secret", """{"project":{"name":"no-such-project","domain":{"id":"default"}}}""")]
    [InlineData("admin", "admin-secret", """{"project":{"id":"00000000000000000000000000000000"}}""")]
    [InlineData("admin", "admin-secret", """{"domain":{"id":"default"}}""")]
    public async Task AuthenticateAsync_WrongPasswordUserOrScope_Unauthorized(string user, string password, string scope)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var identity = await IdentityFixture.StartAsync(ct);

        var error = await Assert.ThrowsAsync<ApiException>(() => identity.Get<Authenticator>().AuthenticateAsync(Request(user, password, scope), ct));

        Assert.Equal(401, error.Status);
        Assert.Equal("The request you have made requires authentication.", error.Message);
    }

    [Fact]
    public async Task AuthenticateAsync_MemberOnSomeoneElsesProject_Unauthorized()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var identity = await IdentityFixture.StartAsync(ct);
        await identity.MemberAsync("gina", ct);

        var error = await Assert.ThrowsAsync<ApiException>(() => identity.Get<Authenticator>().AuthenticateAsync(
            Request("gina", "gina-pw", """{"project":{"name":"admin","domain":{"id":"default"}}}"""), ct));

        Assert.Equal(401, error.Status);
    }

    [Fact]
    public async Task AuthenticateAsync_TokenMethodWithRevokedToken_NotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var identity = await IdentityFixture.StartAsync(ct);
        var (token, valid) = identity.Tokens.Issue(await identity.PrincipalAsync("admin", null, ct), TokenMethods.Password);
        await identity.Tokens.RevokeAsync(valid.Payload, ct);
        var body = JsonNode.Parse("""{"auth":{"identity":{"methods":["token"],"token":{"id":"TOKEN"}},"scope":{"project":{"name":"admin","domain":{"id":"default"}}}}}""".Replace("TOKEN", token, StringComparison.Ordinal))!.AsObject();

        var error = await Assert.ThrowsAsync<ApiException>(() => identity.Get<Authenticator>().AuthenticateAsync(AuthRequestReader.Read(body), ct));

        Assert.Equal(404, error.Status);
    }

    private static AuthRequest Request(string user, string password, string? scope)
    {
        var body = new JsonObject
        {
            ["auth"] = new JsonObject
            {
                ["identity"] = new JsonObject
                {
                    ["methods"] = new JsonArray("password"),
                    ["password"] = new JsonObject { ["user"] = new JsonObject { ["name"] = user, ["domain"] = new JsonObject { ["name"] = "Default" }, ["password"] = password } },
                },
            },
        };
        if (scope is not null)
        {
            body["auth"]!["scope"] = JsonNode.Parse(scope);
        }

        return AuthRequestReader.Read(body);
    }
}
