namespace Stratus.Cloud.Identity.Storage;

/// <summary>GET /v3/users filters (keystone: name, domain_id, enabled); null means any.</summary>
internal sealed record UserFilter(string? Name = null, string? DomainId = null, bool? Enabled = null);
