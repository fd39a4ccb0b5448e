using Stratus.Cloud.Identity;

namespace Stratus.Cloud.OpenStack.Auth;

/// <summary>
/// Requires a valid <c>X-Auth-Token</c> on a route group and attaches the caller (<see cref="RequestContext"/>).
/// A missing or bad token is a 401 in the service's own body; version documents and token issue sit outside it.
/// </summary>
internal sealed class TokenFilter(ITokenValidator tokens) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var token = http.Request.Headers["X-Auth-Token"].FirstOrDefault();
        if (string.IsNullOrEmpty(token))
        {
            throw ApiException.Unauthorized();
        }

        var info = await tokens.ValidateAsync(token, http.RequestAborted) ?? throw ApiException.Unauthorized("The request you have made requires authentication.");
        http.SetCaller(new RequestContext(http.RequestId(), token, info.UserId, info.UserName, info.ProjectId, info.ProjectName, info.Roles, info.ExpiresAt));
        return await next(context);
    }
}
