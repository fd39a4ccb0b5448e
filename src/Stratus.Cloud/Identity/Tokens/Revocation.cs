namespace Stratus.Cloud.Identity.Tokens;

/// <summary>
/// A revocation event, as keystone keeps them: either one token (by audit id), or every token of a user or of a
/// project issued at or before <see cref="IssuedBefore"/> (password change, user or project disabled or deleted).
/// Kept until <see cref="ExpiresAt"/>, after which no token it could match is still valid anyway. Times in µs.
/// </summary>
internal sealed record Revocation(string Id, string? AuditId, string? UserId, string? ProjectId, long IssuedBefore, long ExpiresAt);
