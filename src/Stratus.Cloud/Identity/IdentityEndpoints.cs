using Stratus.Cloud.Identity.Api;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Identity;

/// <summary>
/// Keystone v3 under <c>/identity</c>. Version documents and token issue need no token; everything else sits behind
/// the token filter. Handlers are thin: they read the request, check policy and call a store or the token service.
/// </summary>
internal static class IdentityEndpoints
{
    public static IEndpointRouteBuilder MapIdentity(this IEndpointRouteBuilder app)
    {
        var identity = app.MapGroup(ServiceUrls.IdentityPrefix);
        identity.MapGet("", (VersionApi api, HttpContext http) => api.Versions(http));
        identity.MapGet("/v3", (VersionApi api) => api.Version());
        identity.MapPost("/v3/auth/tokens", (AuthApi api, HttpContext http) => api.IssueAsync(http));

        var v3 = identity.MapGroup("/v3").RequireToken();
        v3.MapMethods("/auth/tokens", [HttpMethods.Get, HttpMethods.Head], (AuthApi api, HttpContext http) => api.ValidateAsync(http));
        v3.MapDelete("/auth/tokens", (AuthApi api, HttpContext http) => api.RevokeAsync(http));
        v3.MapGet("/auth/catalog", (AuthApi api, HttpContext http) => api.Catalog(http));
        v3.MapGet("/auth/projects", (AuthApi api, HttpContext http) => api.ProjectsAsync(http));
        v3.MapGet("/auth/domains", (AuthApi api, HttpContext http) => api.Domains(http));
        v3.MapGet("/auth/system", (AuthApi api, HttpContext http) => api.Systems(http));

        v3.MapGet("/projects", (ProjectApi api, HttpContext http) => api.ListAsync(http));
        v3.MapPost("/projects", (ProjectApi api, HttpContext http) => api.CreateAsync(http));
        v3.MapGet("/projects/{projectId}", (ProjectApi api, HttpContext http, string projectId) => api.ShowAsync(http, projectId));
        v3.MapPatch("/projects/{projectId}", (ProjectApi api, HttpContext http, string projectId) => api.UpdateAsync(http, projectId));
        v3.MapDelete("/projects/{projectId}", (ProjectApi api, HttpContext http, string projectId) => api.DeleteAsync(http, projectId));

        const string Grant = "/projects/{projectId}/users/{userId}/roles/{roleId}";
        v3.MapGet("/projects/{projectId}/users/{userId}/roles", (AssignmentApi api, HttpContext http, string projectId, string userId) => api.ListRolesAsync(http, projectId, userId));
        v3.MapPut(Grant, (AssignmentApi api, HttpContext http, string projectId, string userId, string roleId) => api.GrantAsync(http, projectId, userId, roleId));
        v3.MapMethods(Grant, [HttpMethods.Get, HttpMethods.Head], (AssignmentApi api, HttpContext http, string projectId, string userId, string roleId) => api.CheckAsync(http, projectId, userId, roleId));
        v3.MapDelete(Grant, (AssignmentApi api, HttpContext http, string projectId, string userId, string roleId) => api.RevokeAsync(http, projectId, userId, roleId));
        v3.MapGet("/role_assignments", (AssignmentApi api, HttpContext http) => api.ListAsync(http));

        v3.MapGet("/users", (UserApi api, HttpContext http) => api.ListAsync(http));
        v3.MapPost("/users", (UserApi api, HttpContext http) => api.CreateAsync(http));
        v3.MapGet("/users/{userId}", (UserApi api, HttpContext http, string userId) => api.ShowAsync(http, userId));
        v3.MapPatch("/users/{userId}", (UserApi api, HttpContext http, string userId) => api.UpdateAsync(http, userId));
        v3.MapDelete("/users/{userId}", (UserApi api, HttpContext http, string userId) => api.DeleteAsync(http, userId));
        v3.MapGet("/users/{userId}/projects", (UserApi api, HttpContext http, string userId) => api.ProjectsAsync(http, userId));
        v3.MapPost("/users/{userId}/password", (UserApi api, HttpContext http, string userId) => api.ChangePasswordAsync(http, userId));

        v3.MapGet("/roles", (RoleApi api, HttpContext http) => api.ListAsync(http));
        v3.MapPost("/roles", (RoleApi api, HttpContext http) => api.CreateAsync(http));
        v3.MapGet("/roles/{roleId}", (RoleApi api, HttpContext http, string roleId) => api.ShowAsync(http, roleId));
        v3.MapPatch("/roles/{roleId}", (RoleApi api, HttpContext http, string roleId) => api.UpdateAsync(http, roleId));
        v3.MapDelete("/roles/{roleId}", (RoleApi api, HttpContext http, string roleId) => api.DeleteAsync(http, roleId));

        v3.MapGet("/domains", (DomainApi api, HttpContext http) => api.ListAsync(http));
        v3.MapPost("/domains", (DomainApi api, HttpContext http) => api.CreateAsync(http));
        v3.MapGet("/domains/{domainId}", (DomainApi api, HttpContext http, string domainId) => api.ShowAsync(http, domainId));
        v3.MapPatch("/domains/{domainId}", (DomainApi api, HttpContext http, string domainId) => api.UpdateAsync(http, domainId));
        v3.MapDelete("/domains/{domainId}", (DomainApi api, HttpContext http, string domainId) => api.DeleteAsync(http, domainId));

        v3.MapGet("/services", (CatalogApi api, HttpContext http) => api.Services(http));
        v3.MapGet("/services/{serviceId}", (CatalogApi api, HttpContext http, string serviceId) => api.ShowService(http, serviceId));
        v3.MapGet("/endpoints", (CatalogApi api, HttpContext http) => api.Endpoints(http));
        v3.MapGet("/endpoints/{endpointId}", (CatalogApi api, HttpContext http, string endpointId) => api.ShowEndpoint(http, endpointId));
        v3.MapGet("/regions", (CatalogApi api, HttpContext http) => api.Regions(http));
        v3.MapGet("/regions/{regionId}", (CatalogApi api, string regionId) => api.ShowRegion(regionId));
        return app;
    }
}
