using System.Text.Json.Nodes;
using Stratus.Cloud.Identity.Model;
using Stratus.Cloud.Identity.Passwords;
using Stratus.Cloud.Identity.Storage;
using Stratus.Cloud.Identity.Views;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Identity.Api;

/// <summary>
/// <c>/v3/users</c> (ks: keystone/api/users.py): admin CRUD; a user may read itself and its projects and change its own
/// password. Passwords are hashed on arrival and never returned.
/// </summary>
internal sealed class UserApi(UserStore users, ProjectStore projects, DomainStore domains, IdentityViews views, TimeProvider time, ILogger<UserApi> logger)
{
    private static readonly HashSet<string> Modelled = ["id", "name", "domain_id", "enabled", "password", "default_project_id", "options", "links", "password_expires_at"];

    public async Task<IResult> ListAsync(HttpContext http)
    {
        IdentityPolicy.RequireAdmin(http.Caller(), "identity:list_users");
        var q = http.Request;
        var filter = new UserFilter(IdentityInput.Query(q, "name"), IdentityInput.Query(q, "domain_id"), IdentityInput.QueryBool(q, "enabled"));
        return OpenStackJson.Result(views.Collection("users", await users.ListAsync(filter, http.RequestAborted), views.User, http.Request));
    }

    public async Task<IResult> ShowAsync(HttpContext http, string userId)
    {
        var caller = http.Caller();
        IdentityPolicy.RequireAdminOrUser(caller, userId, "identity:get_user");
        var user = await FindAsync(userId, http.RequestAborted);
        return OpenStackJson.Result(new JsonObject { ["user"] = views.User(user) });
    }

    public async Task<IResult> ProjectsAsync(HttpContext http, string userId)
    {
        var caller = http.Caller();
        IdentityPolicy.RequireAdminOrUser(caller, userId, "identity:list_user_projects");
        await FindAsync(userId, http.RequestAborted);
        return OpenStackJson.Result(views.Collection("projects", await projects.ListForUserAsync(userId, http.RequestAborted), views.Project, http.Request));
    }

    public async Task<IResult> CreateAsync(HttpContext http)
    {
        var caller = http.Caller();
        IdentityPolicy.RequireAdmin(caller, "identity:create_user");
        var body = IdentityInput.Object(await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted), "user", "request body");
        var name = IdentityInput.String(body, "name", "user");
        var domainId = IdentityInput.OptionalString(body, "domain_id", 64) ?? Domain.DefaultId;
        if (await domains.FindAsync(domainId, http.RequestAborted) is null)
        {
            throw ApiException.NotFound($"Could not find domain: {domainId}.", "DomainNotFound");
        }

        var defaultProject = await DefaultProjectAsync(body, http.RequestAborted);
        var password = IdentityInput.OptionalString(body, "password", PasswordHasher.MaxPasswordLength, allowEmpty: true);
        var user = new User(
            IdentityIds.New(),
            name,
            domainId,
            IdentityInput.OptionalBool(body, "enabled") ?? true,
            defaultProject,
            password is null ? null : PasswordHasher.Hash(password),
            IdentityInput.Extra(body, null, Modelled).ToJsonString(),
            time.GetUtcNow().UtcDateTime);
        user = await users.CreateAsync(user, http.RequestAborted);
        logger.Changed("Created", "user", user.Id, user.Name, caller.UserId);
        return OpenStackJson.Result(new JsonObject { ["user"] = views.User(user) }, StatusCodes.Status201Created);
    }

    public async Task<IResult> UpdateAsync(HttpContext http, string userId)
    {
        var caller = http.Caller();
        IdentityPolicy.RequireAdmin(caller, "identity:update_user");
        var body = IdentityInput.Object(await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted), "user", "request body");
        var name = IdentityInput.OptionalString(body, "name");
        var enabled = IdentityInput.OptionalBool(body, "enabled");
        var password = IdentityInput.OptionalString(body, "password", PasswordHasher.MaxPasswordLength, allowEmpty: true);
        var hash = password is null ? null : PasswordHasher.Hash(password);
        var clearDefault = body.ContainsKey("default_project_id") && body["default_project_id"] is null;
        var defaultProject = await DefaultProjectAsync(body, http.RequestAborted);
        var updated = await users.UpdateAsync(userId, u =>
        {
            if (body.ContainsKey("domain_id") && IdentityInput.OptionalString(body, "domain_id", 64) != u.DomainId)
            {
                throw IdentityInput.Invalid("domain_id", "update of domain_id is not allowed");
            }

            return u with
            {
                Name = name ?? u.Name,
                Enabled = enabled ?? u.Enabled,
                PasswordHash = hash ?? u.PasswordHash,
                DefaultProjectId = clearDefault ? null : defaultProject ?? u.DefaultProjectId,
                Extra = IdentityInput.Extra(body, IdentityJsonText.ParseObject(u.Extra), Modelled).ToJsonString(),
            };
        }, http.RequestAborted) ?? throw NotFound(userId);
        logger.Changed("Updated", "user", updated.Id, updated.Name, caller.UserId);
        return OpenStackJson.Result(new JsonObject { ["user"] = views.User(updated) });
    }

    /// <summary>POST /v3/users/{id}/password: a user changes its own password, proving the old one (204).</summary>
    public async Task<IResult> ChangePasswordAsync(HttpContext http, string userId)
    {
        var caller = http.Caller();
        if (caller.UserId != userId)
        {
            throw IdentityPolicy.Denied("identity:change_password");
        }

        var body = IdentityInput.Object(await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted), "user", "request body");
        var password = IdentityInput.OptionalString(body, "password", PasswordHasher.MaxPasswordLength, allowEmpty: true) ?? throw IdentityInput.Missing("password", "user");
        var original = IdentityInput.OptionalString(body, "original_password", PasswordHasher.MaxPasswordLength, allowEmpty: true) ?? throw IdentityInput.Missing("original_password", "user");
        var user = await FindAsync(userId, http.RequestAborted);
        if (!PasswordHasher.Verify(original, user.PasswordHash))
        {
            logger.AuthenticationFailed(userId, "wrong original password on password change");
            throw ApiException.Unauthorized();
        }

        var hash = PasswordHasher.Hash(password);
        _ = await users.UpdateAsync(userId, u => u with { PasswordHash = hash }, http.RequestAborted) ?? throw NotFound(userId);
        logger.Changed("Changed password of", "user", userId, user.Name, caller.UserId);
        return Results.NoContent();
    }

    public async Task<IResult> DeleteAsync(HttpContext http, string userId)
    {
        var caller = http.Caller();
        IdentityPolicy.RequireAdmin(caller, "identity:delete_user");
        if (!await users.DeleteAsync(userId, http.RequestAborted))
        {
            throw NotFound(userId);
        }

        logger.Changed("Deleted", "user", userId, userId, caller.UserId);
        return Results.NoContent();
    }

    public static ApiException NotFound(string userId) => ApiException.NotFound($"Could not find user: {userId}.", "UserNotFound");

    private async Task<string?> DefaultProjectAsync(JsonObject body, CancellationToken cancellationToken)
    {
        if (IdentityInput.OptionalString(body, "default_project_id", 64) is not { } projectId)
        {
            return null;
        }

        return await projects.FindAsync(projectId, cancellationToken) is null ? throw ProjectApi.NotFound(projectId) : projectId;
    }

    private async Task<User> FindAsync(string userId, CancellationToken cancellationToken) =>
        await users.FindAsync(userId, cancellationToken) ?? throw NotFound(userId);
}
