using System.Text.Json.Nodes;
using Stratus.Cloud.Identity.Model;
using Stratus.Cloud.Identity.Storage;
using Stratus.Cloud.Identity.Views;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Identity.Api;

/// <summary><c>/v3/projects</c> (ks: keystone/api/projects.py): admin CRUD; anyone may read the project their token is scoped to.</summary>
internal sealed class ProjectApi(ProjectStore projects, DomainStore domains, IdentityViews views, TimeProvider time, ILogger<ProjectApi> logger)
{
    private static readonly HashSet<string> Modelled = ["id", "name", "domain_id", "parent_id", "description", "enabled", "tags", "options", "is_domain", "links"];

    public async Task<IResult> ListAsync(HttpContext http)
    {
        IdentityPolicy.RequireAdmin(http.Caller(), "identity:list_projects");
        var q = http.Request;
        var filter = new ProjectFilter(IdentityInput.Query(q, "name"), IdentityInput.Query(q, "domain_id"), IdentityInput.QueryBool(q, "enabled"), IdentityInput.Query(q, "parent_id"));
        return OpenStackJson.Result(views.Collection("projects", await projects.ListAsync(filter, http.RequestAborted), views.Project, http.Request));
    }

    public async Task<IResult> ShowAsync(HttpContext http, string projectId)
    {
        var caller = http.Caller();
        var project = await FindAsync(projectId, http.RequestAborted);
        IdentityPolicy.RequireAdminOrProject(caller, project.Id, "identity:get_project");
        return OpenStackJson.Result(new JsonObject { ["project"] = views.Project(project) });
    }

    public async Task<IResult> CreateAsync(HttpContext http)
    {
        var caller = http.Caller();
        IdentityPolicy.RequireAdmin(caller, "identity:create_project");
        var body = IdentityInput.Object(await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted), "project", "request body");
        var name = IdentityInput.String(body, "name", "project", 64);
        var domainId = IdentityInput.OptionalString(body, "domain_id", 64) ?? Domain.DefaultId;
        if (IdentityInput.OptionalBool(body, "is_domain") == true)
        {
            throw IdentityInput.Invalid("is_domain", "projects acting as domains are not supported");
        }

        if (await domains.FindAsync(domainId, http.RequestAborted) is null)
        {
            throw ApiException.NotFound($"Could not find domain: {domainId}.", "DomainNotFound");
        }

        var parentId = IdentityInput.OptionalString(body, "parent_id", 64) ?? domainId;
        if (parentId != domainId)
        {
            var parent = await FindAsync(parentId, http.RequestAborted);
            if (parent.DomainId != domainId)
            {
                throw IdentityInput.Invalid("parent_id", $"the parent {parentId} is in domain {parent.DomainId}, not in {domainId}");
            }
        }

        var project = new Project(
            IdentityIds.New(),
            name,
            domainId,
            parentId,
            IdentityInput.OptionalString(body, "description", 65535, allowEmpty: true) ?? "",
            IdentityInput.OptionalBool(body, "enabled") ?? true,
            IdentityInput.OptionalTags(body) ?? [],
            IdentityInput.Extra(body, null, Modelled).ToJsonString(),
            time.GetUtcNow().UtcDateTime);
        project = await projects.CreateAsync(project, http.RequestAborted);
        logger.Changed("Created", "project", project.Id, project.Name, caller.UserId);
        return OpenStackJson.Result(new JsonObject { ["project"] = views.Project(project) }, StatusCodes.Status201Created);
    }

    public async Task<IResult> UpdateAsync(HttpContext http, string projectId)
    {
        var caller = http.Caller();
        IdentityPolicy.RequireAdmin(caller, "identity:update_project");
        var body = IdentityInput.Object(await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted), "project", "request body");
        var name = IdentityInput.OptionalString(body, "name", 64);
        var description = IdentityInput.OptionalString(body, "description", 65535, allowEmpty: true);
        var enabled = IdentityInput.OptionalBool(body, "enabled");
        var tags = IdentityInput.OptionalTags(body);
        var updated = await projects.UpdateAsync(projectId, p =>
        {
            Immutable(body, "domain_id", p.DomainId);
            Immutable(body, "parent_id", p.ParentId);
            if (body["is_domain"] is { } isDomain && isDomain.ToJsonString() != "false")
            {
                throw IdentityInput.Invalid("is_domain", "it cannot be changed");
            }

            return p with
            {
                Name = name ?? p.Name,
                Description = description ?? p.Description,
                Enabled = enabled ?? p.Enabled,
                Tags = tags ?? p.Tags,
                Extra = IdentityInput.Extra(body, IdentityJsonText.ParseObject(p.Extra), Modelled).ToJsonString(),
            };
        }, http.RequestAborted) ?? throw NotFound(projectId);
        logger.Changed("Updated", "project", updated.Id, updated.Name, caller.UserId);
        return OpenStackJson.Result(new JsonObject { ["project"] = views.Project(updated) });
    }

    public async Task<IResult> DeleteAsync(HttpContext http, string projectId)
    {
        var caller = http.Caller();
        IdentityPolicy.RequireAdmin(caller, "identity:delete_project");
        if (!await projects.DeleteAsync(projectId, http.RequestAborted))
        {
            throw NotFound(projectId);
        }

        logger.Changed("Deleted", "project", projectId, projectId, caller.UserId);
        return Results.NoContent();
    }

    public static ApiException NotFound(string projectId) => ApiException.NotFound($"Could not find project: {projectId}.", "ProjectNotFound");

    /// <summary>Keystone refuses to move a project: a changed value is a 400, the same value is fine.</summary>
    private static void Immutable(JsonObject body, string key, string current)
    {
        if (body.ContainsKey(key) && IdentityInput.OptionalString(body, key, 64) != current)
        {
            throw IdentityInput.Invalid(key, $"update of {key} is not allowed");
        }
    }

    private async Task<Project> FindAsync(string projectId, CancellationToken cancellationToken) =>
        await projects.FindAsync(projectId, cancellationToken) ?? throw NotFound(projectId);
}
