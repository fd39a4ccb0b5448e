using System.Text.Json.Nodes;
using Stratus.Cloud.Identity.Storage;
using Stratus.Cloud.Identity.Tokens;
using Stratus.Cloud.Identity.Views;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Identity.Api;

/// <summary>
/// <c>/v3/auth/*</c> (contract §2.2, §2.3): issue (no token needed), validate, check and revoke (X-Subject-Token),
/// and the caller's catalog, projects, domains and system scopes.
/// </summary>
internal sealed class AuthApi(Authenticator authenticator, TokenService tokens, TokenView tokenView, ServiceCatalog catalog, ProjectStore projects, IdentityViews views)
{
    private const string SubjectTokenHeader = "X-Subject-Token";

    public async Task<IResult> IssueAsync(HttpContext http)
    {
        var request = AuthRequestReader.Read(await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted));
        var (token, valid) = await authenticator.AuthenticateAsync(request, http.RequestAborted);
        http.Response.Headers[SubjectTokenHeader] = token;
        return OpenStackJson.Result(tokenView.Render(valid, IncludeCatalog(http)), StatusCodes.Status201Created);
    }

    /// <summary>GET and HEAD: 200 with the same body the token was issued with (HEAD without it).</summary>
    public async Task<IResult> ValidateAsync(HttpContext http)
    {
        var (token, valid) = await SubjectAsync(http, "identity:validate_token");
        http.Response.Headers[SubjectTokenHeader] = token;
        return HttpMethods.IsHead(http.Request.Method)
            ? Results.StatusCode(StatusCodes.Status200OK)
            : OpenStackJson.Result(tokenView.Render(valid, IncludeCatalog(http)));
    }

    public async Task<IResult> RevokeAsync(HttpContext http)
    {
        var (_, valid) = await SubjectAsync(http, "identity:revoke_token");
        await tokens.RevokeAsync(valid.Payload, http.RequestAborted);
        return Results.NoContent();
    }

    public IResult Catalog(HttpContext http)
    {
        if (http.Caller().ProjectId is null)
        {
            throw ApiException.Forbidden("A project-scoped token is required to produce a service catalog.", "Forbidden");
        }

        return OpenStackJson.Result(new JsonObject { ["catalog"] = catalog.Render(), ["links"] = views.Links(http.Request) });
    }

    public async Task<IResult> ProjectsAsync(HttpContext http)
    {
        var mine = await projects.ListForUserAsync(http.Caller().UserId, http.RequestAborted);
        return OpenStackJson.Result(views.Collection("projects", mine.Where(p => p.Enabled), views.Project, http.Request));
    }

    /// <summary>Domain and system role assignments do not exist here, so these lists are always empty.</summary>
    public IResult Domains(HttpContext http) => OpenStackJson.Result(views.Collection<JsonObject>("domains", [], d => d, http.Request));

    public IResult Systems(HttpContext http) => OpenStackJson.Result(views.Collection<JsonObject>("system", [], d => d, http.Request));

    private static bool IncludeCatalog(HttpContext http) => !http.Request.Query.ContainsKey("nocatalog");

    private async Task<(string Token, ValidToken Valid)> SubjectAsync(HttpContext http, string action)
    {
        var caller = http.Caller();
        var token = http.Request.Headers[SubjectTokenHeader].FirstOrDefault();
        if (string.IsNullOrEmpty(token))
        {
            throw IdentityInput.Missing(SubjectTokenHeader, "the request headers");
        }

        var valid = await tokens.ResolveAsync(token, http.RequestAborted) ?? throw ApiException.NotFound($"Could not find token: {token}.", "TokenNotFound");
        IdentityPolicy.RequireAdminOrUser(caller, valid.Principal.UserId, action);
        return (token, valid);
    }
}
