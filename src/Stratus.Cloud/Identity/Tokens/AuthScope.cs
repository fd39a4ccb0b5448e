namespace Stratus.Cloud.Identity.Tokens;

/// <summary>
/// The requested scope: a project by id, or by name with its domain. <see cref="Other"/> names a scope kind this
/// controller grants no roles on (domain, system, trust), which therefore cannot be obtained.
/// </summary>
internal sealed record AuthScope(string? ProjectId, string? ProjectName, string? DomainId, string? DomainName, string? Other = null);
