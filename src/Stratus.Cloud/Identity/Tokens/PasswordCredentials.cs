namespace Stratus.Cloud.Identity.Tokens;

/// <summary><c>identity.password.user</c>: an id, or a name with its domain (by id or by name).</summary>
internal sealed record PasswordCredentials(string? UserId, string? UserName, string? DomainId, string? DomainName, string Password)
{
    /// <summary>How the user was named, for the log (never the password).</summary>
    public override string ToString() => UserId ?? $"{UserName}@{DomainId ?? DomainName}";
}
