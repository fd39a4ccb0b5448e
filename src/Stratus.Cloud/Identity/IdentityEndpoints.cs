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
        return app;
    }
}
