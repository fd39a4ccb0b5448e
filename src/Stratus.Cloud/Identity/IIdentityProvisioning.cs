using Stratus.Cloud.Identity.Model;

namespace Stratus.Cloud.Identity;

/// <summary>
/// Idempotent set-up other code calls (the bootstrap; later <c>stratus up</c> for the demo user and project): each
/// method makes sure something exists in the default domain and returns it, creating it only when it is missing.
/// </summary>
internal interface IIdentityProvisioning
{
    Task<Project> EnsureProjectAsync(string name, string description, CancellationToken cancellationToken);

    /// <summary>The user named <paramref name="name"/>; <paramref name="password"/> is set only when it is created.</summary>
    Task<User> EnsureUserAsync(string name, string password, string? defaultProjectId, CancellationToken cancellationToken);

    /// <summary>Grants <paramref name="roleName"/> (admin, member, reader or another existing role) on the project.</summary>
    Task EnsureRoleAssignmentAsync(string userId, string projectId, string roleName, CancellationToken cancellationToken);
}
