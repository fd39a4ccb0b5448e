namespace Stratus.Cloud.Identity.Model;

/// <summary>A user holds a role on a project (keystone's only assignment kind here: no groups, no domain grants).</summary>
internal sealed record RoleAssignment(string UserId, string ProjectId, string RoleId);
