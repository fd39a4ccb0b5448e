namespace Stratus.Cloud.Identity.Tokens;

/// <summary>A role as a token lists it: <c>{"id", "name"}</c>.</summary>
internal sealed record TokenRole(string Id, string Name);
