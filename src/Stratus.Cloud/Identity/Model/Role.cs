namespace Stratus.Cloud.Identity.Model;

/// <summary>A global keystone role (admin, member, reader, or one an admin created).</summary>
internal sealed record Role(string Id, string Name, string? Description);
