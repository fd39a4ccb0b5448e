namespace Stratus.Cloud.Identity.Tokens;

/// <summary>
/// A parsed <c>POST /v3/auth/tokens</c> body (contract §2.2): the methods, the password credentials (user by id,
/// or by name with a domain id or name), the token to re-scope, and the requested scope.
/// </summary>
internal sealed record AuthRequest(IReadOnlyList<string> Methods, PasswordCredentials? Password, string? Token, AuthScope? Scope);
