using Dapper;
using Stratus.Cloud.Identity.Model;

namespace Stratus.Cloud.Identity.Storage;

/// <summary>Role assignments of users on projects.</summary>
internal sealed class AssignmentStore(IdentityDb db)
{
    private const string Select = "SELECT user_id AS UserId, project_id AS ProjectId, role_id AS RoleId FROM identity_assignments";

    /// <summary>Grants a role (idempotent, as keystone's PUT is).</summary>
    public Task GrantAsync(string userId, string projectId, string roleId, CancellationToken cancellationToken) =>
        db.WriteAsync(w => GrantAsync(w, userId, projectId, roleId), cancellationToken);

    public static Task<int> GrantAsync(IdentityWrite w, string userId, string projectId, string roleId) =>
        w.ExecuteAsync(
            "INSERT INTO identity_assignments (user_id, project_id, role_id) VALUES (@userId, @projectId, @roleId) ON CONFLICT DO NOTHING",
            new { userId, projectId, roleId });

    /// <summary>Removes a role; false when the user did not hold it there.</summary>
    public Task<bool> RevokeAsync(string userId, string projectId, string roleId, CancellationToken cancellationToken) =>
        db.WriteAsync(async w => await w.ExecuteAsync(
            "DELETE FROM identity_assignments WHERE user_id = @userId AND project_id = @projectId AND role_id = @roleId",
            new { userId, projectId, roleId }) == 1, cancellationToken);

    public Task<IReadOnlyList<RoleAssignment>> ListAsync(string? userId, string? projectId, string? roleId, CancellationToken cancellationToken)
    {
        var where = new SqlWhere()
            .Equal("user_id", "userId", userId)
            .Equal("project_id", "projectId", projectId)
            .Equal("role_id", "roleId", roleId);
        return db.ReadAsync<IReadOnlyList<RoleAssignment>>(async c => (await c.QueryAsync<RoleAssignment>(new CommandDefinition(
            Select + where + " ORDER BY user_id, project_id, role_id", where.Parameters, cancellationToken: cancellationToken))).ToList(), cancellationToken);
    }
}
