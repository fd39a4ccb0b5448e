using Stratus.Cloud.Identity.Model;
using Stratus.Cloud.Identity.Storage;
using Stratus.Cloud.Identity.Tokens;
using Stratus.Testing;

namespace Stratus.Cloud.Tests.Identity;

public sealed class TokenServiceTests
{
    [Fact]
    public async Task ValidateAsync_FreshAdminToken_CarriesUserProjectAndImpliedRoles()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var identity = await IdentityFixture.StartAsync(ct);
        var (token, issued) = identity.Tokens.Issue(await identity.PrincipalAsync("admin", "admin", ct), TokenMethods.Password);

        var info = await identity.Tokens.ValidateAsync(token, ct);

        Assert.NotNull(info);
        Assert.Equal("admin", info.UserName);
        Assert.Equal("admin", info.ProjectName);
        Assert.Equal(["admin", "member", "reader"], info.Roles);
        Assert.Equal(identity.Clock.GetUtcNow().UtcDateTime, info.IssuedAt);
        Assert.Equal(info.IssuedAt.AddHours(1), info.ExpiresAt);
        Assert.Equal(TokenPayload.AuditIdText(issued.Payload.AuditId), info.AuditId);
    }

    [Fact]
    public async Task ValidateAsync_AtAndAfterExpiry_ReturnsNull()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var identity = await IdentityFixture.StartAsync(ct);
        var (token, _) = identity.Tokens.Issue(await identity.PrincipalAsync("admin", "admin", ct), TokenMethods.Password);

        identity.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.NotNull(await identity.Tokens.ValidateAsync(token, ct));
        identity.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await identity.Tokens.ValidateAsync(token, ct));
    }

    [Fact]
    public async Task Issue_RescopedFromAnotherToken_KeepsTheOriginalExpiryAndChainsAuditIds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var identity = await IdentityFixture.StartAsync(ct);
        var (_, first) = identity.Tokens.Issue(await identity.PrincipalAsync("admin", null, ct), TokenMethods.Password);
        identity.Clock.Advance(TimeSpan.FromMinutes(10));

        var (_, second) = identity.Tokens.Issue(await identity.PrincipalAsync("admin", "admin", ct), TokenMethods.Token | first.Payload.Methods, first.Payload.ExpiresAt, first.Payload.AuditId);

        Assert.Equal(first.Payload.ExpiresAt, second.Payload.ExpiresAt);
        Assert.Equal([TokenPayload.AuditIdText(second.Payload.AuditId), TokenPayload.AuditIdText(first.Payload.AuditId)], second.Payload.AuditIds);
        Assert.Equal(["token", "password"], second.Payload.MethodNames);
    }

    [Fact]
    public async Task RevokeAsync_OneToken_OnlyThatTokenStopsValidating()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var identity = await IdentityFixture.StartAsync(ct);
        var admin = await identity.PrincipalAsync("admin", "admin", ct);
        var (revoked, valid) = identity.Tokens.Issue(admin, TokenMethods.Password);
        var (other, _) = identity.Tokens.Issue(admin, TokenMethods.Password);

        await identity.Tokens.RevokeAsync(valid.Payload, ct);

        Assert.Null(await identity.Tokens.ValidateAsync(revoked, ct));
        Assert.NotNull(await identity.Tokens.ValidateAsync(other, ct));
    }

    [Fact]
    public async Task RevokeAsync_ThenRestart_RevocationWasPersisted()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory("stratus-identity");
        string token;
        await using (var first = await IdentityFixture.StartAsync(ct, data.Path))
        {
            (token, var valid) = first.Tokens.Issue(await first.PrincipalAsync("admin", "admin", ct), TokenMethods.Password);
            await first.Tokens.RevokeAsync(valid.Payload, ct);
        }

        await using var second = await IdentityFixture.StartAsync(ct, data.Path, adminPassword: "");

        Assert.Null(await second.Tokens.ValidateAsync(token, ct));
        var (fresh, _) = second.Tokens.Issue(await second.PrincipalAsync("admin", "admin", ct), TokenMethods.Password);
        Assert.NotNull(await second.Tokens.ValidateAsync(fresh, ct));
    }

    [Fact]
    public async Task ValidateAsync_RevokedByAnotherControllerOnTheSameDatabase_RejectedAfterThePollInterval()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory("stratus-identity");
        var clock = new ManualClock();
        await using var one = await IdentityFixture.StartAsync(ct, data.Path, clock);
        await using var two = await IdentityFixture.StartAsync(ct, data.Path, clock);
        var (token, valid) = one.Tokens.Issue(await one.PrincipalAsync("admin", "admin", ct), TokenMethods.Password);
        Assert.NotNull(await two.Tokens.ValidateAsync(token, ct));

        await one.Tokens.RevokeAsync(valid.Payload, ct);
        clock.Advance(IdentityCache.PollInterval);

        Assert.Null(await two.Tokens.ValidateAsync(token, ct));
    }

    [Fact]
    public async Task ValidateAsync_TokenFromAnotherCloud_ReturnsNull()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var one = await IdentityFixture.StartAsync(ct);
        await using var other = await IdentityFixture.StartAsync(ct);
        var (token, _) = other.Tokens.Issue(await other.PrincipalAsync("admin", "admin", ct), TokenMethods.Password);

        Assert.Null(await one.Tokens.ValidateAsync(token, ct));
    }

    [Fact]
    public async Task ValidateAsync_AfterPasswordChange_OldTokensRevoked()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var identity = await IdentityFixture.StartAsync(ct);
        var (userId, _) = await identity.MemberAsync("alice", ct);
        var (token, _) = identity.Tokens.Issue(await identity.PrincipalAsync("alice", "alice-project", ct), TokenMethods.Password);

        identity.Clock.Advance(TimeSpan.FromSeconds(1));
        await identity.Get<UserStore>().UpdateAsync(userId, u => u with { PasswordHash = Cloud.Identity.Passwords.PasswordHasher.Hash("new", 1000) }, ct);

        Assert.Null(await identity.Tokens.ValidateAsync(token, ct));
        identity.Clock.Advance(TimeSpan.FromSeconds(1));
        var (fresh, _) = identity.Tokens.Issue(await identity.PrincipalAsync("alice", "alice-project", ct), TokenMethods.Password);
        Assert.NotNull(await identity.Tokens.ValidateAsync(fresh, ct));
    }

    [Fact]
    public async Task ValidateAsync_UserDisabledOrDeleted_ReturnsNull()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var identity = await IdentityFixture.StartAsync(ct);
        var (bob, _) = await identity.MemberAsync("bob", ct);
        var (carol, _) = await identity.MemberAsync("carol", ct);
        var (bobToken, _) = identity.Tokens.Issue(await identity.PrincipalAsync("bob", "bob-project", ct), TokenMethods.Password);
        var (carolToken, _) = identity.Tokens.Issue(await identity.PrincipalAsync("carol", "carol-project", ct), TokenMethods.Password);

        await identity.Get<UserStore>().UpdateAsync(bob, u => u with { Enabled = false }, ct);
        await identity.Get<UserStore>().DeleteAsync(carol, ct);

        Assert.Null(await identity.Tokens.ValidateAsync(bobToken, ct));
        Assert.Null(await identity.Tokens.ValidateAsync(carolToken, ct));
    }

    [Fact]
    public async Task ValidateAsync_RolesChange_TakeEffectOnLiveTokens()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var identity = await IdentityFixture.StartAsync(ct);
        var (userId, projectId) = await identity.MemberAsync("dave", ct);
        var (token, _) = identity.Tokens.Issue(await identity.PrincipalAsync("dave", "dave-project", ct), TokenMethods.Password);
        Assert.Equal(["member", "reader"], (await identity.Tokens.ValidateAsync(token, ct))!.Roles);
        var roles = identity.Get<RoleStore>();
        var member = (await roles.FindByNameAsync(RoleNames.Member, ct))!.Id;
        var reader = (await roles.FindByNameAsync(RoleNames.Reader, ct))!.Id;

        await identity.Get<AssignmentStore>().GrantAsync(userId, projectId, reader, ct);
        await identity.Get<AssignmentStore>().RevokeAsync(userId, projectId, member, ct);
        Assert.Equal(["reader"], (await identity.Tokens.ValidateAsync(token, ct))!.Roles);

        await identity.Get<AssignmentStore>().RevokeAsync(userId, projectId, reader, ct);
        Assert.Null(await identity.Tokens.ValidateAsync(token, ct));
    }

    [Fact]
    public async Task ValidateAsync_ProjectDisabled_ScopedTokensRejectedUnscopedStillValid()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var identity = await IdentityFixture.StartAsync(ct);
        var (_, projectId) = await identity.MemberAsync("erin", ct);
        var (scoped, _) = identity.Tokens.Issue(await identity.PrincipalAsync("erin", "erin-project", ct), TokenMethods.Password);
        var (unscoped, _) = identity.Tokens.Issue(await identity.PrincipalAsync("erin", null, ct), TokenMethods.Password);

        await identity.Get<ProjectStore>().UpdateAsync(projectId, p => p with { Enabled = false }, ct);

        Assert.Null(await identity.Tokens.ValidateAsync(scoped, ct));
        Assert.NotNull(await identity.Tokens.ValidateAsync(unscoped, ct));
    }
}
