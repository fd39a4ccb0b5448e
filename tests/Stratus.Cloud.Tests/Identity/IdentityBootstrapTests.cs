using Stratus.Cloud.Identity.Model;
using Stratus.Cloud.Identity.Passwords;
using Stratus.Cloud.Identity.Storage;
using Stratus.Testing;

namespace Stratus.Cloud.Tests.Identity;

public sealed class IdentityBootstrapTests
{
    [Fact]
    public async Task StartAsync_Twice_CreatesEverythingOnceAndKeepsTheSigningKey()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory("stratus-identity");
        string token;
        await using (var first = await IdentityFixture.StartAsync(ct, data.Path))
        {
            (token, _) = first.Tokens.Issue(await first.PrincipalAsync("admin", "admin", ct), Cloud.Identity.Tokens.TokenMethods.Password);
        }

        await using var second = await IdentityFixture.StartAsync(ct, data.Path, adminPassword: "a-different-password");

        Assert.Equal(["admin", "member", "reader"], (await second.Get<RoleStore>().ListAsync(null, ct)).Select(r => r.Name));
        Assert.Equal(["admin"], (await second.Get<ProjectStore>().ListAsync(new ProjectFilter(), ct)).Select(p => p.Name));
        var admin = Assert.Single(await second.Get<UserStore>().ListAsync(new UserFilter(), ct));
        Assert.True(PasswordHasher.Verify(IdentityFixture.AdminPassword, admin.PasswordHash), "a restart must not reset the admin password");
        Assert.Equal(Domain.DefaultName, Assert.Single(await second.Get<DomainStore>().ListAsync(null, null, ct)).Name);
        Assert.NotNull(await second.Tokens.ValidateAsync(token, ct));
    }

    [Fact]
    public async Task StartAsync_NoAdminAndNoPassword_RefusesNamingAdminPassword()
    {
        var ct = TestContext.Current.CancellationToken;

        var error = await Assert.ThrowsAsync<CloudStartupException>(() => IdentityFixture.StartAsync(ct, adminPassword: ""));

        Assert.StartsWith("AdminPassword:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureAsync_DemoUserAndProject_IdempotentAndPasswordSetOnlyOnCreation()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var identity = await IdentityFixture.StartAsync(ct);

        var project = await identity.Provisioning.EnsureProjectAsync("demo", "Demo project", ct);
        var user = await identity.Provisioning.EnsureUserAsync("demo", "first", project.Id, ct);
        await identity.Provisioning.EnsureRoleAssignmentAsync(user.Id, project.Id, RoleNames.Member, ct);
        var again = await identity.Provisioning.EnsureUserAsync("demo", "second", project.Id, ct);
        await identity.Provisioning.EnsureRoleAssignmentAsync(user.Id, project.Id, RoleNames.Member, ct);

        Assert.Equal(user.Id, again.Id);
        Assert.Equal(project.Id, (await identity.Provisioning.EnsureProjectAsync("demo", "Demo project", ct)).Id);
        Assert.True(PasswordHasher.Verify("first", again.PasswordHash));
        Assert.Single(await identity.Get<AssignmentStore>().ListAsync(user.Id, project.Id, null, ct));
        Assert.Equal(32, user.Id.Length);
        Assert.True(IdentityIds.IsHex(project.Id));
    }
}
