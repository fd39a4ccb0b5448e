using System.Text.Json.Nodes;
using Stratus.Cloud.Identity.Model;
using Stratus.Cloud.Identity.Storage;
using Stratus.Cloud.Identity.Views;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Identity.Api;

/// <summary>
/// Role assignments of users on projects (ks: keystone/api/projects.py grants, role_assignments.py), admin only:
/// <c>PUT|GET|HEAD|DELETE /v3/projects/{p}/users/{u}/roles/{r}</c>, the list of a user's roles on a project, and
/// <c>GET /v3/role_assignments</c> with keystone's filters, <c>effective</c> and <c>include_names</c>.
/// </summary>
internal sealed class AssignmentApi(AssignmentStore assignments, ProjectStore projects, UserStore users, RoleStore roles, DomainStore domains, IdentityViews views, ILogger<AssignmentApi> logger)
{
    public async Task<IResult> GrantAsync(HttpContext http, string projectId, string userId, string roleId)
    {
        var caller = http.Caller();
        IdentityPolicy.RequireAdmin(caller, "identity:create_grant");
        await RequireAsync(projectId, userId, roleId, http.RequestAborted);
        await assignments.GrantAsync(userId, projectId, roleId, http.RequestAborted);
        logger.Changed("Granted", "role", roleId, $"user {userId} on project {projectId}", caller.UserId);
        return Results.NoContent();
    }

    public async Task<IResult> CheckAsync(HttpContext http, string projectId, string userId, string roleId)
    {
        IdentityPolicy.RequireAdmin(http.Caller(), "identity:check_grant");
        await RequireAsync(projectId, userId, roleId, http.RequestAborted);
        return (await assignments.ListAsync(userId, projectId, roleId, http.RequestAborted)).Count > 0 ? Results.NoContent() : throw NotFound(projectId, userId, roleId);
    }

    public async Task<IResult> RevokeAsync(HttpContext http, string projectId, string userId, string roleId)
    {
        var caller = http.Caller();
        IdentityPolicy.RequireAdmin(caller, "identity:revoke_grant");
        await RequireAsync(projectId, userId, roleId, http.RequestAborted);
        if (!await assignments.RevokeAsync(userId, projectId, roleId, http.RequestAborted))
        {
            throw NotFound(projectId, userId, roleId);
        }

        logger.Changed("Revoked", "role", roleId, $"user {userId} on project {projectId}", caller.UserId);
        return Results.NoContent();
    }

    public async Task<IResult> ListRolesAsync(HttpContext http, string projectId, string userId)
    {
        IdentityPolicy.RequireAdmin(http.Caller(), "identity:list_grants");
        _ = await projects.FindAsync(projectId, http.RequestAborted) ?? throw ProjectApi.NotFound(projectId);
        _ = await users.FindAsync(userId, http.RequestAborted) ?? throw UserApi.NotFound(userId);
        var held = (await assignments.ListAsync(userId, projectId, null, http.RequestAborted)).Select(a => a.RoleId).ToHashSet();
        var list = (await roles.ListAsync(null, http.RequestAborted)).Where(r => held.Contains(r.Id));
        return OpenStackJson.Result(views.Collection("roles", list, views.Role, http.Request));
    }

    /// <summary>GET /v3/role_assignments?user.id=&amp;scope.project.id=&amp;role.id=&amp;effective&amp;include_names.</summary>
    public async Task<IResult> ListAsync(HttpContext http)
    {
        IdentityPolicy.RequireAdmin(http.Caller(), "identity:list_role_assignments");
        var q = http.Request;
        if (q.Query.ContainsKey("group.id") || q.Query.ContainsKey("scope.domain.id") || q.Query.ContainsKey("scope.system"))
        {
            // Group, domain and system assignments do not exist here.
            return OpenStackJson.Result(new JsonObject { ["role_assignments"] = new JsonArray(), ["links"] = views.Links(q) });
        }

        var userId = IdentityInput.Query(q, "user.id");
        var projectId = IdentityInput.Query(q, "scope.project.id");
        var roleId = IdentityInput.Query(q, "role.id");
        var effective = q.Query.ContainsKey("effective");
        var includeNames = IdentityInput.QueryBool(q, "include_names") == true;
        var allRoles = (await roles.ListAsync(null, http.RequestAborted)).ToDictionary(r => r.Id);
        var implications = await roles.ListImplicationsAsync(http.RequestAborted);

        // Effective assignments expand implied roles, so the role filter applies after the expansion.
        var direct = await assignments.ListAsync(userId, projectId, effective ? null : roleId, http.RequestAborted);
        var rows = new List<(RoleAssignment Assignment, string? PriorRoleId)>();
        foreach (var assignment in direct)
        {
            rows.Add((assignment, null));
            if (effective)
            {
                foreach (var implied in Implied(assignment.RoleId, implications))
                {
                    rows.Add((assignment with { RoleId = implied }, assignment.RoleId));
                }
            }
        }

        var body = new JsonArray();
        var seen = new HashSet<(string, string, string)>();
        var names = new Dictionary<string, JsonObject>();
        foreach (var (assignment, prior) in rows)
        {
            if ((roleId is not null && assignment.RoleId != roleId) || !seen.Add((assignment.UserId, assignment.ProjectId, assignment.RoleId)))
            {
                continue;
            }

            var role = new JsonObject { ["id"] = assignment.RoleId };
            var user = new JsonObject { ["id"] = assignment.UserId };
            var project = new JsonObject { ["id"] = assignment.ProjectId };
            if (includeNames)
            {
                role["name"] = allRoles.TryGetValue(assignment.RoleId, out var r) ? r.Name : null;
                await NameAsync(user, "user", assignment.UserId, names, http.RequestAborted);
                await NameAsync(project, "project", assignment.ProjectId, names, http.RequestAborted);
            }

            var links = new JsonObject { ["assignment"] = views.Link($"/projects/{assignment.ProjectId}/users/{assignment.UserId}/roles/{(prior ?? assignment.RoleId)}") };
            if (prior is not null)
            {
                links["prior_role"] = views.Link("/roles/" + prior);
            }

            body.Add(new JsonObject { ["role"] = role, ["user"] = user, ["scope"] = new JsonObject { ["project"] = project }, ["links"] = links });
        }

        return OpenStackJson.Result(new JsonObject { ["role_assignments"] = body, ["links"] = views.Links(q) });
    }

    private static IEnumerable<string> Implied(string roleId, IReadOnlyList<(string Prior, string Implied)> implications)
    {
        var seen = new HashSet<string> { roleId };
        var queue = new Queue<string>([roleId]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var (prior, implied) in implications)
            {
                if (prior == current && seen.Add(implied))
                {
                    queue.Enqueue(implied);
                    yield return implied;
                }
            }
        }
    }

    /// <summary>include_names: the name and the domain (id and name) of a user or project, looked up once each.</summary>
    private async Task NameAsync(JsonObject target, string kind, string id, Dictionary<string, JsonObject> cache, CancellationToken cancellationToken)
    {
        if (!cache.TryGetValue(kind + id, out var known))
        {
            var (name, domainId) = kind == "user"
                ? await users.FindAsync(id, cancellationToken) is { } u ? (u.Name, u.DomainId) : (null, null)
                : await projects.FindAsync(id, cancellationToken) is { } p ? (p.Name, p.DomainId) : ((string?)null, (string?)null);
            var domain = domainId is null ? null : await domains.FindAsync(domainId, cancellationToken);
            known = new JsonObject { ["name"] = name, ["domain"] = new JsonObject { ["id"] = domainId, ["name"] = domain?.Name } };
            cache[kind + id] = known;
        }

        foreach (var (key, value) in known)
        {
            target[key] = value?.DeepClone();
        }
    }

    private async Task RequireAsync(string projectId, string userId, string roleId, CancellationToken cancellationToken)
    {
        _ = await projects.FindAsync(projectId, cancellationToken) ?? throw ProjectApi.NotFound(projectId);
        _ = await users.FindAsync(userId, cancellationToken) ?? throw UserApi.NotFound(userId);
        _ = await roles.FindAsync(roleId, cancellationToken) ?? throw RoleApi.NotFound(roleId);
    }

    private static ApiException NotFound(string projectId, string userId, string roleId) =>
        ApiException.NotFound($"Could not find role assignment with role: {roleId}, user or group: {userId}, project, domain, or system: {projectId}.", "RoleAssignmentNotFound");
}
