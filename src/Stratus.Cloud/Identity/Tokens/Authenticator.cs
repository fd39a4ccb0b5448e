using Stratus.Cloud.Identity.Model;
using Stratus.Cloud.Identity.Passwords;
using Stratus.Cloud.Identity.Storage;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Identity.Tokens;

/// <summary>
/// Keystone's authentication (ks: keystone/auth/core.py, plugins/password.py, plugins/token.py): every listed method
/// must succeed for the same user; then the scope is resolved. Anything wrong with who you are or what you asked for
/// is a 401 with the same message, so the answer does not tell which part was wrong; a token to re-scope that does not
/// validate is a 404, as in keystone.
/// </summary>
internal sealed class Authenticator(UserStore users, DomainStore domains, ProjectStore projects, TokenService tokens, ILogger<Authenticator> logger)
{
    public async Task<(string Token, ValidToken Valid)> AuthenticateAsync(AuthRequest request, CancellationToken cancellationToken)
    {
        string? userId = null;
        var methods = TokenMethods.None;
        long? expiresAt = null;
        var parentAuditId = UInt128.Zero;
        foreach (var method in request.Methods.Distinct(StringComparer.Ordinal))
        {
            string authenticated;
            switch (method)
            {
                case "password":
                    authenticated = await CheckPasswordAsync(request.Password!, cancellationToken);
                    methods |= TokenMethods.Password;
                    break;
                case "token":
                    var valid = await tokens.ResolveAsync(request.Token!, cancellationToken)
                        ?? throw ApiException.NotFound($"Could not find token: {request.Token}.", "TokenNotFound");
                    authenticated = valid.Principal.UserId;
                    methods |= TokenMethods.Token | valid.Payload.Methods;
                    expiresAt = valid.Payload.ExpiresAt;
                    parentAuditId = valid.Payload.AuditId;
                    break;
                default:
                    throw ApiException.Unauthorized("Attempted to authenticate with an unsupported method.");
            }

            if (userId is not null && userId != authenticated)
            {
                throw Fail(authenticated, "methods name different users");
            }

            userId = authenticated;
        }

        if (userId is null)
        {
            throw ApiException.Unauthorized();
        }

        var principal = await ScopeAsync(userId, request.Scope, cancellationToken);
        return tokens.Issue(principal, methods, expiresAt, parentAuditId);
    }

    private async Task<string> CheckPasswordAsync(PasswordCredentials credentials, CancellationToken cancellationToken)
    {
        User? user;
        if (credentials.UserId is { } id)
        {
            user = await users.FindAsync(id, cancellationToken);
        }
        else
        {
            var domainId = credentials.DomainId ?? (await domains.FindByNameAsync(credentials.DomainName!, cancellationToken))?.Id;
            user = domainId is null ? null : await users.FindByNameAsync(domainId, credentials.UserName!, cancellationToken);
        }

        // Verify even for an unknown user (against a decoy hash), so timing does not reveal which names exist.
        if (!PasswordHasher.Verify(credentials.Password, user?.PasswordHash) || user is null)
        {
            throw Fail(credentials.ToString(), user is null ? "no such user" : "wrong password");
        }

        if (!user.Enabled || await domains.FindAsync(user.DomainId, cancellationToken) is not { Enabled: true })
        {
            throw Fail(credentials.ToString(), "user or its domain is disabled");
        }

        return user.Id;
    }

    private async Task<Principal> ScopeAsync(string userId, AuthScope? scope, CancellationToken cancellationToken)
    {
        if (scope is null)
        {
            // Keystone scopes a token without a scope to the user's default project when the user may use it there.
            var user = await users.FindAsync(userId, cancellationToken);
            if (user?.DefaultProjectId is { } defaultProject && await tokens.PrincipalAsync(userId, defaultProject, cancellationToken) is { } scoped)
            {
                return scoped;
            }

            return await tokens.PrincipalAsync(userId, null, cancellationToken) ?? throw Fail(userId, "user is not valid");
        }

        if (scope.Other is { } other)
        {
            throw Fail(userId, $"no role assignments on a {other} scope");
        }

        Project? project;
        if (scope.ProjectId is { } projectId)
        {
            project = await projects.FindAsync(projectId, cancellationToken);
        }
        else
        {
            var domainId = scope.DomainId ?? (await domains.FindByNameAsync(scope.DomainName!, cancellationToken))?.Id;
            project = domainId is null ? null : await projects.FindByNameAsync(domainId, scope.ProjectName!, cancellationToken);
        }

        if (project is null)
        {
            throw Fail(userId, "no such project");
        }

        return await tokens.PrincipalAsync(userId, project.Id, cancellationToken)
            ?? throw Fail(userId, $"no role on project {project.Id}, or it or the user is disabled");
    }

    private ApiException Fail(string user, string reason)
    {
        logger.AuthenticationFailed(user, reason);
        return ApiException.Unauthorized();
    }
}
