using System.Text.Json.Nodes;
using Stratus.Cloud.Identity.Model;
using Stratus.Cloud.Identity.Storage;
using Stratus.Cloud.Identity.Views;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Identity.Api;

/// <summary><c>/v3/roles</c> (ks: keystone/api/roles.py): global roles only, admin only.</summary>
internal sealed class RoleApi(RoleStore roles, IdentityViews views, ILogger<RoleApi> logger)
{
    public async Task<IResult> ListAsync(HttpContext http)
    {
        IdentityPolicy.RequireAdmin(http.Caller(), "identity:list_roles");
        var list = await roles.ListAsync(IdentityInput.Query(http.Request, "name"), http.RequestAborted);
        return OpenStackJson.Result(views.Collection("roles", list, views.Role, http.Request));
    }

    public async Task<IResult> ShowAsync(HttpContext http, string roleId)
    {
        IdentityPolicy.RequireAdmin(http.Caller(), "identity:get_role");
        var role = await roles.FindAsync(roleId, http.RequestAborted) ?? throw NotFound(roleId);
        return OpenStackJson.Result(new JsonObject { ["role"] = views.Role(role) });
    }

    public async Task<IResult> CreateAsync(HttpContext http)
    {
        var caller = http.Caller();
        IdentityPolicy.RequireAdmin(caller, "identity:create_role");
        var body = IdentityInput.Object(await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted), "role", "request body");
        GlobalOnly(body);
        var role = new Role(IdentityIds.New(), IdentityInput.String(body, "name", "role"), IdentityInput.OptionalString(body, "description", 255, allowEmpty: true));
        role = await roles.CreateAsync(role, http.RequestAborted);
        logger.Changed("Created", "role", role.Id, role.Name, caller.UserId);
        return OpenStackJson.Result(new JsonObject { ["role"] = views.Role(role) }, StatusCodes.Status201Created);
    }

    public async Task<IResult> UpdateAsync(HttpContext http, string roleId)
    {
        var caller = http.Caller();
        IdentityPolicy.RequireAdmin(caller, "identity:update_role");
        var body = IdentityInput.Object(await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted), "role", "request body");
        GlobalOnly(body);
        var name = IdentityInput.OptionalString(body, "name");
        var description = IdentityInput.OptionalString(body, "description", 255, allowEmpty: true);
        var role = await roles.UpdateAsync(roleId, r => r with { Name = name ?? r.Name, Description = description ?? r.Description }, http.RequestAborted)
            ?? throw NotFound(roleId);
        logger.Changed("Updated", "role", role.Id, role.Name, caller.UserId);
        return OpenStackJson.Result(new JsonObject { ["role"] = views.Role(role) });
    }

    public async Task<IResult> DeleteAsync(HttpContext http, string roleId)
    {
        var caller = http.Caller();
        IdentityPolicy.RequireAdmin(caller, "identity:delete_role");
        if (!await roles.DeleteAsync(roleId, http.RequestAborted))
        {
            throw NotFound(roleId);
        }

        logger.Changed("Deleted", "role", roleId, roleId, caller.UserId);
        return Results.NoContent();
    }

    public static ApiException NotFound(string roleId) => ApiException.NotFound($"Could not find role: {roleId}.", "RoleNotFound");

    private static void GlobalOnly(JsonObject body)
    {
        if (IdentityInput.OptionalString(body, "domain_id", 64) is not null)
        {
            throw IdentityInput.Invalid("domain_id", "domain-specific roles are not supported");
        }
    }
}
