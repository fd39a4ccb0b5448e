namespace Stratus.Cloud.Identity.Storage;

/// <summary>GET /v3/projects filters (keystone: name, domain_id, enabled, parent_id); null means any.</summary>
internal sealed record ProjectFilter(string? Name = null, string? DomainId = null, bool? Enabled = null, string? ParentId = null);
