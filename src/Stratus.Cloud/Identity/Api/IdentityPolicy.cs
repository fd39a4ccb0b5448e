using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Identity.Api;

/// <summary>
/// Identity's policy, keystone's defaults reduced to this cloud's roles: the admin role (on any project) may read and
/// change everything; anyone else may read their own user, their own projects and the project their token is scoped
/// to, validate and revoke their own tokens, and change their own password. The action names are keystone's.
/// </summary>
internal static class IdentityPolicy
{
    public static void RequireAdmin(RequestContext caller, string action)
    {
        if (!caller.IsAdmin)
        {
            throw Denied(action);
        }
    }

    public static void RequireAdminOrUser(RequestContext caller, string userId, string action)
    {
        if (!caller.IsAdmin && caller.UserId != userId)
        {
            throw Denied(action);
        }
    }

    public static void RequireAdminOrProject(RequestContext caller, string projectId, string action)
    {
        if (!caller.IsAdmin && caller.ProjectId != projectId)
        {
            throw Denied(action);
        }
    }

    public static ApiException Denied(string action) =>
        ApiException.Forbidden($"You are not authorized to perform the requested action: {action}.", "ForbiddenAction");
}
