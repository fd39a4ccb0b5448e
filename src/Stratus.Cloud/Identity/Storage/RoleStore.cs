using Dapper;
using Stratus.Cloud.Identity.Model;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Identity.Storage;

/// <summary>Global roles and their implications (keystone's implied roles: admin ⇒ member ⇒ reader).</summary>
internal sealed class RoleStore(IdentityDb db)
{
    private const string Select = "SELECT id AS Id, name AS Name, description AS Description FROM identity_roles";

    public Task<Role?> FindAsync(string id, CancellationToken cancellationToken) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<Role?>(new CommandDefinition(
            Select + " WHERE id = @id", new { id }, cancellationToken: cancellationToken)), cancellationToken);

    public Task<Role?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<Role?>(new CommandDefinition(
            Select + " WHERE name = @name", new { name }, cancellationToken: cancellationToken)), cancellationToken);

    public Task<IReadOnlyList<Role>> ListAsync(string? name, CancellationToken cancellationToken)
    {
        var where = new SqlWhere().Equal("name", "name", name);
        return db.ReadAsync<IReadOnlyList<Role>>(async c => (await c.QueryAsync<Role>(new CommandDefinition(
            Select + where + " ORDER BY name", where.Parameters, cancellationToken: cancellationToken))).ToList(), cancellationToken);
    }

    public Task<Role> CreateAsync(Role role, CancellationToken cancellationToken) =>
        db.WriteAsync(w => CreateAsync(w, role), cancellationToken);

    public static async Task<Role> CreateAsync(IdentityWrite w, Role role)
    {
        var inserted = await w.ExecuteAsync(
            "INSERT INTO identity_roles (id, name, description, created_at) VALUES (@Id, @Name, @Description, @now) ON CONFLICT DO NOTHING",
            new { role.Id, role.Name, role.Description, now = w.Now });
        return inserted == 1 ? role : throw DuplicateName(role.Name);
    }

    public Task<Role?> UpdateAsync(string id, Func<Role, Role> change, CancellationToken cancellationToken) =>
        db.WriteAsync(async w =>
        {
            var before = await w.QuerySingleOrDefaultAsync<Role?>(Select + " WHERE id = @id", new { id });
            if (before is null)
            {
                return null;
            }

            var after = change(before);
            if (after.Name != before.Name && await w.ScalarAsync<string?>("SELECT id FROM identity_roles WHERE name = @Name AND id <> @Id", after) is not null)
            {
                throw DuplicateName(after.Name);
            }

            await w.ExecuteAsync("UPDATE identity_roles SET name = @Name, description = @Description WHERE id = @Id", after);
            return after;
        }, cancellationToken);

    /// <summary>Deletes a role with its assignments and implications; false when it does not exist.</summary>
    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        db.WriteAsync(async w =>
        {
            await w.ExecuteAsync("DELETE FROM identity_assignments WHERE role_id = @id", new { id });
            await w.ExecuteAsync("DELETE FROM identity_role_implications WHERE prior_role_id = @id OR implied_role_id = @id", new { id });
            return await w.ExecuteAsync("DELETE FROM identity_roles WHERE id = @id", new { id }) == 1;
        }, cancellationToken);

    /// <summary>Every (prior, implied) pair.</summary>
    public Task<IReadOnlyList<(string Prior, string Implied)>> ListImplicationsAsync(CancellationToken cancellationToken) =>
        db.ReadAsync<IReadOnlyList<(string, string)>>(async c => (await c.QueryAsync<(string, string)>(new CommandDefinition(
            "SELECT prior_role_id, implied_role_id FROM identity_role_implications ORDER BY prior_role_id, implied_role_id",
            cancellationToken: cancellationToken))).ToList(), cancellationToken);

    public static Task AddImplicationAsync(IdentityWrite w, string priorRoleId, string impliedRoleId) =>
        w.ExecuteAsync(
            "INSERT INTO identity_role_implications (prior_role_id, implied_role_id) VALUES (@priorRoleId, @impliedRoleId) ON CONFLICT DO NOTHING",
            new { priorRoleId, impliedRoleId });

    private static ApiException DuplicateName(string name) =>
        ApiException.Conflict($"Conflict occurred attempting to store role - Duplicate entry found with name {name}.");
}
