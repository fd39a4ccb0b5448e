using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Compute.Api;

/// <summary>
/// Nova's default policy (nova/policies, Zed defaults) reduced to what Stratus has: admin acts everywhere; a member of
/// a project reads and writes its own resources; a reader only reads. A refusal is nova's 403 text.
/// </summary>
internal static class ComputePolicy
{
    public static ApiException Denied(string rule) => ApiException.Forbidden($"Policy doesn't allow {rule} to be performed.");

    /// <summary>Admin-only rules (os-services, os-hypervisors, flavor management, quota updates, ...).</summary>
    public static void RequireAdmin(RequestContext caller, string rule)
    {
        if (!caller.IsAdmin)
        {
            throw Denied(rule);
        }
    }

    /// <summary>Project-scoped writes (PROJECT_MEMBER_OR_ADMIN): the token must be scoped and carry member or admin.</summary>
    public static string RequireMember(RequestContext caller, string rule)
    {
        if (caller.ProjectId is null || !caller.CanWrite)
        {
            throw Denied(rule);
        }

        return caller.ProjectId;
    }

    /// <summary>Project-scoped reads (PROJECT_READER_OR_ADMIN).</summary>
    public static string RequireReader(RequestContext caller, string rule)
    {
        if (caller.ProjectId is null && !caller.IsAdmin)
        {
            throw Denied(rule);
        }

        return caller.ProjectId ?? "";
    }
}
