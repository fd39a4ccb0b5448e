namespace Stratus.Cloud.Identity;

/// <summary>What a valid token says: the user, the project it is scoped to (if any), the roles there, and its lifetime.</summary>
internal sealed record TokenInfo(
    string UserId,
    string UserName,
    string? ProjectId,
    string? ProjectName,
    IReadOnlyList<string> Roles,
    DateTime IssuedAt,
    DateTime ExpiresAt,
    string AuditId);
