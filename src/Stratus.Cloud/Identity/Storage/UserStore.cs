using Dapper;
using Stratus.Cloud.Identity.Model;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Identity.Storage;

/// <summary>Users (keystone's identity backend). The password hash is stored, never a password.</summary>
internal sealed class UserStore(IdentityDb db)
{
    private const string Select =
        """
        SELECT id AS Id, name AS Name, domain_id AS DomainId, enabled AS Enabled, default_project_id AS DefaultProjectId,
               password_hash AS PasswordHash, extra AS Extra, created_at AS CreatedAt
        FROM identity_users
        """;

    public Task<User?> FindAsync(string id, CancellationToken cancellationToken) =>
        db.ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            Select + " WHERE id = @id", new { id }, cancellationToken: cancellationToken)))?.ToUser(), cancellationToken);

    public Task<User?> FindByNameAsync(string domainId, string name, CancellationToken cancellationToken) =>
        db.ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            Select + " WHERE domain_id = @domainId AND name = @name", new { domainId, name }, cancellationToken: cancellationToken)))?.ToUser(), cancellationToken);

    public static async Task<User?> FindByNameAsync(IdentityWrite w, string domainId, string name) =>
        (await w.QuerySingleOrDefaultAsync<Row>(Select + " WHERE domain_id = @domainId AND name = @name", new { domainId, name }))?.ToUser();

    public Task<IReadOnlyList<User>> ListAsync(UserFilter filter, CancellationToken cancellationToken)
    {
        var where = new SqlWhere()
            .Equal("name", "name", filter.Name)
            .Equal("domain_id", "domainId", filter.DomainId)
            .Flag("enabled", "enabled", filter.Enabled);
        return db.ReadAsync<IReadOnlyList<User>>(async c => (await c.QueryAsync<Row>(new CommandDefinition(
            Select + where + " ORDER BY name, id", where.Parameters, cancellationToken: cancellationToken))).Select(r => r.ToUser()).ToList(), cancellationToken);
    }

    /// <summary>Stores a new user; 409 when its name is taken in its domain.</summary>
    public Task<User> CreateAsync(User user, CancellationToken cancellationToken) =>
        db.WriteAsync(w => CreateAsync(w, user), cancellationToken);

    public static async Task<User> CreateAsync(IdentityWrite w, User user)
    {
        var inserted = await w.ExecuteAsync(
            """
            INSERT INTO identity_users (id, name, domain_id, enabled, default_project_id, password_hash, extra, created_at)
            VALUES (@Id, @Name, @DomainId, @Enabled, @DefaultProjectId, @PasswordHash, @Extra, @CreatedAt)
            ON CONFLICT DO NOTHING
            """, Row.From(user));
        return inserted == 1 ? user : throw DuplicateName(user);
    }

    /// <summary>
    /// Applies <paramref name="change"/>; null when the user does not exist. Disabling the user or changing its
    /// password revokes its tokens (keystone does the same).
    /// </summary>
    public Task<User?> UpdateAsync(string id, Func<User, User> change, CancellationToken cancellationToken) =>
        db.WriteAsync(async w =>
        {
            var row = await w.QuerySingleOrDefaultAsync<Row>(Select + " WHERE id = @id", new { id });
            if (row is null)
            {
                return null;
            }

            var before = row.ToUser();
            var after = change(before);
            if (after.Name != before.Name && await w.ScalarAsync<string?>(
                "SELECT id FROM identity_users WHERE domain_id = @DomainId AND name = @Name AND id <> @Id", Row.From(after)) is not null)
            {
                throw DuplicateName(after);
            }

            await w.ExecuteAsync(
                """
                UPDATE identity_users SET name = @Name, enabled = @Enabled, default_project_id = @DefaultProjectId,
                    password_hash = @PasswordHash, extra = @Extra
                WHERE id = @Id
                """, Row.From(after));
            if ((before.Enabled && !after.Enabled) || before.PasswordHash != after.PasswordHash)
            {
                await w.RevokeUserTokensAsync(id);
            }

            return after;
        }, cancellationToken);

    /// <summary>Deletes a user, its role assignments and its tokens; false when it does not exist.</summary>
    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        db.WriteAsync(async w =>
        {
            if (await w.ScalarAsync<string?>("SELECT id FROM identity_users WHERE id = @id", new { id }) is null)
            {
                return false;
            }

            await DeleteRowsAsync(w, id);
            return true;
        }, cancellationToken);

    public static async Task DeleteRowsAsync(IdentityWrite w, string id)
    {
        await w.ExecuteAsync("DELETE FROM identity_assignments WHERE user_id = @id", new { id });
        await w.ExecuteAsync("DELETE FROM identity_users WHERE id = @id", new { id });
        await w.RevokeUserTokensAsync(id);
    }

    private static ApiException DuplicateName(User user) =>
        ApiException.Conflict($"Conflict occurred attempting to store user - Duplicate entry found with name {user.Name} at domain ID {user.DomainId}.");

    private sealed class Row
    {
        public string Id { get; set; } = "";

        public string Name { get; set; } = "";

        public string DomainId { get; set; } = "";

        public long Enabled { get; set; }

        public string? DefaultProjectId { get; set; }

        public string? PasswordHash { get; set; }

        public string Extra { get; set; } = IdentityJsonText.EmptyObject;

        public long CreatedAt { get; set; }

        public static Row From(User u) => new()
        {
            Id = u.Id,
            Name = u.Name,
            DomainId = u.DomainId,
            Enabled = u.Enabled ? 1 : 0,
            DefaultProjectId = u.DefaultProjectId,
            PasswordHash = u.PasswordHash,
            Extra = u.Extra,
            CreatedAt = DbTime.From(u.CreatedAt),
        };

        public User ToUser() => new(Id, Name, DomainId, Enabled != 0, DefaultProjectId, PasswordHash, Extra, DbTime.To(CreatedAt));
    }
}
