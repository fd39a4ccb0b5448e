using System.Text.Json.Nodes;
using Stratus.Cloud.Identity.Model;
using Stratus.Cloud.Identity.Storage;
using Stratus.Cloud.Identity.Views;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Identity.Api;

/// <summary>
/// <c>/v3/domains</c> (ks: keystone/api/domains.py): admin CRUD; anyone may read the domain of the project their
/// token is scoped to. Tempest's dynamic credentials look the default domain up by name.
/// </summary>
internal sealed class DomainApi(DomainStore domains, ProjectStore projects, IdentityViews views, ILogger<DomainApi> logger)
{
    public async Task<IResult> ListAsync(HttpContext http)
    {
        IdentityPolicy.RequireAdmin(http.Caller(), "identity:list_domains");
        var list = await domains.ListAsync(IdentityInput.Query(http.Request, "name"), IdentityInput.QueryBool(http.Request, "enabled"), http.RequestAborted);
        return OpenStackJson.Result(views.Collection("domains", list, views.Domain, http.Request));
    }

    public async Task<IResult> ShowAsync(HttpContext http, string domainId)
    {
        var caller = http.Caller();
        var domain = await domains.FindAsync(domainId, http.RequestAborted) ?? throw NotFound(domainId);
        if (!caller.IsAdmin && (caller.ProjectId is null || (await projects.FindAsync(caller.ProjectId, http.RequestAborted))?.DomainId != domain.Id))
        {
            throw IdentityPolicy.Denied("identity:get_domain");
        }

        return OpenStackJson.Result(new JsonObject { ["domain"] = views.Domain(domain) });
    }

    public async Task<IResult> CreateAsync(HttpContext http)
    {
        var caller = http.Caller();
        IdentityPolicy.RequireAdmin(caller, "identity:create_domain");
        var body = IdentityInput.Object(await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted), "domain", "request body");
        var domain = new Domain(
            IdentityIds.New(),
            IdentityInput.String(body, "name", "domain", 64),
            IdentityInput.OptionalString(body, "description", 65535, allowEmpty: true) ?? "",
            IdentityInput.OptionalBool(body, "enabled") ?? true);
        domain = await domains.CreateAsync(domain, http.RequestAborted);
        logger.Changed("Created", "domain", domain.Id, domain.Name, caller.UserId);
        return OpenStackJson.Result(new JsonObject { ["domain"] = views.Domain(domain) }, StatusCodes.Status201Created);
    }

    public async Task<IResult> UpdateAsync(HttpContext http, string domainId)
    {
        var caller = http.Caller();
        IdentityPolicy.RequireAdmin(caller, "identity:update_domain");
        var body = IdentityInput.Object(await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted), "domain", "request body");
        var name = IdentityInput.OptionalString(body, "name", 64);
        var description = IdentityInput.OptionalString(body, "description", 65535, allowEmpty: true);
        var enabled = IdentityInput.OptionalBool(body, "enabled");
        var domain = await domains.UpdateAsync(domainId, d => d with { Name = name ?? d.Name, Description = description ?? d.Description, Enabled = enabled ?? d.Enabled }, http.RequestAborted)
            ?? throw NotFound(domainId);
        logger.Changed("Updated", "domain", domain.Id, domain.Name, caller.UserId);
        return OpenStackJson.Result(new JsonObject { ["domain"] = views.Domain(domain) });
    }

    public async Task<IResult> DeleteAsync(HttpContext http, string domainId)
    {
        var caller = http.Caller();
        IdentityPolicy.RequireAdmin(caller, "identity:delete_domain");
        if (!await domains.DeleteAsync(domainId, http.RequestAborted))
        {
            throw NotFound(domainId);
        }

        logger.Changed("Deleted", "domain", domainId, domainId, caller.UserId);
        return Results.NoContent();
    }

    private static ApiException NotFound(string domainId) => ApiException.NotFound($"Could not find domain: {domainId}.", "DomainNotFound");
}
