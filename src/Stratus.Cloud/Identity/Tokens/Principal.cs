namespace Stratus.Cloud.Identity.Tokens;

/// <summary>
/// Who a token speaks for, resolved from the database at validation and cached: the user and its domain, the project
/// and its domain (when project-scoped), and the effective roles there (direct plus implied), in keystone's order.
/// </summary>
internal sealed record Principal(
    string UserId,
    string UserName,
    string UserDomainId,
    string UserDomainName,
    string? ProjectId,
    string? ProjectName,
    string? ProjectDomainId,
    string? ProjectDomainName,
    IReadOnlyList<TokenRole> Roles)
{
    public IReadOnlyList<string> RoleNames { get; } = Roles.Select(r => r.Name).ToArray();

    public TokenInfo ToInfo(in TokenPayload payload) =>
        new(UserId, UserName, ProjectId, ProjectName, RoleNames, payload.IssuedAtTime, payload.ExpiresAtTime, TokenPayload.AuditIdText(payload.AuditId));
}
