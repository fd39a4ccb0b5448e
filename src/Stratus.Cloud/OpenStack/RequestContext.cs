namespace Stratus.Cloud.OpenStack;

/// <summary>
/// Who is calling, from a validated token: user, project scope and roles, plus the request id that follows the call
/// through the conductor into the host agent. Policy: admin acts across projects; member and reader act in their
/// own project (reader only reads).
/// </summary>
internal sealed record RequestContext(
    string RequestId,
    string Token,
    string UserId,
    string UserName,
    string? ProjectId,
    string? ProjectName,
    IReadOnlyList<string> Roles,
    DateTime ExpiresAt)
{
    public bool IsAdmin => Roles.Contains("admin");

    public bool CanWrite => IsAdmin || Roles.Contains("member");

    /// <summary>Whether the caller may see or touch something that belongs to <paramref name="projectId"/>.</summary>
    public bool Owns(string projectId) => IsAdmin || string.Equals(ProjectId, projectId, StringComparison.Ordinal);
}
