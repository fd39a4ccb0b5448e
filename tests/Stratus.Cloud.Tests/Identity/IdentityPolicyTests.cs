using Stratus.Cloud.Identity.Api;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Tests.Identity;

public sealed class IdentityPolicyTests
{
    private static readonly RequestContext Admin = Caller("u-admin", "p-admin", "admin", "member", "reader");
    private static readonly RequestContext Member = Caller("u-member", "p-member", "member", "reader");
    private static readonly RequestContext Unscoped = Caller("u-member", null);

    [Fact]
    public void RequireAdmin_Admin_Allowed() => IdentityPolicy.RequireAdmin(Admin, "identity:list_users");

    [Fact]
    public void RequireAdmin_MemberOrUnscoped_ForbiddenNamingTheAction()
    {
        foreach (var caller in new[] { Member, Unscoped })
        {
            var error = Assert.Throws<ApiException>(() => IdentityPolicy.RequireAdmin(caller, "identity:list_users"));
            Assert.Equal(403, error.Status);
            Assert.Equal("You are not authorized to perform the requested action: identity:list_users.", error.Message);
        }
    }

    [Fact]
    public void RequireAdminOrUser_Self_AllowedOthersForbidden()
    {
        IdentityPolicy.RequireAdminOrUser(Member, "u-member", "identity:get_user");
        IdentityPolicy.RequireAdminOrUser(Admin, "u-member", "identity:get_user");

        Assert.Equal(403, Assert.Throws<ApiException>(() => IdentityPolicy.RequireAdminOrUser(Member, "u-admin", "identity:get_user")).Status);
    }

    [Fact]
    public void RequireAdminOrProject_OwnProjectOnly()
    {
        IdentityPolicy.RequireAdminOrProject(Member, "p-member", "identity:get_project");
        IdentityPolicy.RequireAdminOrProject(Admin, "p-member", "identity:get_project");

        Assert.Equal(403, Assert.Throws<ApiException>(() => IdentityPolicy.RequireAdminOrProject(Member, "p-admin", "identity:get_project")).Status);
        Assert.Equal(403, Assert.Throws<ApiException>(() => IdentityPolicy.RequireAdminOrProject(Unscoped, "p-member", "identity:get_project")).Status);
    }

    private static RequestContext Caller(string user, string? project, params string[] roles) =>
        new("req-1", "token", user, user, project, project, roles, DateTime.UtcNow.AddHours(1));
}
