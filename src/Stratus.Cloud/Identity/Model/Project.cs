namespace Stratus.Cloud.Identity.Model;

/// <summary>
/// A keystone project (tenant). <see cref="ParentId"/> is the domain id for a top-level project (keystone's v3
/// convention); <see cref="Extra"/> holds attributes keystone keeps but does not interpret, as a JSON object.
/// </summary>
internal sealed record Project(
    string Id,
    string Name,
    string DomainId,
    string ParentId,
    string Description,
    bool Enabled,
    IReadOnlyList<string> Tags,
    string Extra,
    DateTime CreatedAt);
