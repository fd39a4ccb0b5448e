using Dapper;
using Stratus.Cloud.Identity.Model;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Identity.Storage;

/// <summary>Domains. Deleting a (disabled) domain deletes its projects and users, as keystone does.</summary>
internal sealed class DomainStore(IdentityDb db)
{
    private const string Select = "SELECT id AS Id, name AS Name, description AS Description, enabled AS Enabled FROM identity_domains";

    public Task<Domain?> FindAsync(string id, CancellationToken cancellationToken) =>
        db.ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            Select + " WHERE id = @id", new { id }, cancellationToken: cancellationToken)))?.ToDomain(), cancellationToken);

    public Task<Domain?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        db.ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            Select + " WHERE name = @name", new { name }, cancellationToken: cancellationToken)))?.ToDomain(), cancellationToken);

    public Task<IReadOnlyList<Domain>> ListAsync(string? name, bool? enabled, CancellationToken cancellationToken)
    {
        var where = new SqlWhere().Equal("name", "name", name).Flag("enabled", "enabled", enabled);
        return db.ReadAsync<IReadOnlyList<Domain>>(async c => (await c.QueryAsync<Row>(new CommandDefinition(
            Select + where + " ORDER BY name", where.Parameters, cancellationToken: cancellationToken))).Select(r => r.ToDomain()).ToList(), cancellationToken);
    }

    public Task<Domain> CreateAsync(Domain domain, CancellationToken cancellationToken) =>
        db.WriteAsync(w => CreateAsync(w, domain), cancellationToken);

    public static async Task<Domain> CreateAsync(IdentityWrite w, Domain domain)
    {
        var inserted = await w.ExecuteAsync(
            "INSERT INTO identity_domains (id, name, description, enabled, created_at) VALUES (@Id, @Name, @Description, @Enabled, @now) ON CONFLICT DO NOTHING",
            new { domain.Id, domain.Name, domain.Description, Enabled = domain.Enabled ? 1 : 0, now = w.Now });
        return inserted == 1 ? domain : throw DuplicateName(domain.Name);
    }

    public Task<Domain?> UpdateAsync(string id, Func<Domain, Domain> change, CancellationToken cancellationToken) =>
        db.WriteAsync(async w =>
        {
            var row = await w.QuerySingleOrDefaultAsync<Row>(Select + " WHERE id = @id", new { id });
            if (row is null)
            {
                return null;
            }

            var before = row.ToDomain();
            var after = change(before);
            if (after.Name != before.Name && await w.ScalarAsync<string?>("SELECT id FROM identity_domains WHERE name = @Name AND id <> @Id", new { after.Name, after.Id }) is not null)
            {
                throw DuplicateName(after.Name);
            }

            await w.ExecuteAsync(
                "UPDATE identity_domains SET name = @Name, description = @Description, enabled = @Enabled WHERE id = @Id",
                new { after.Id, after.Name, after.Description, Enabled = after.Enabled ? 1 : 0 });
            if (before.Enabled && !after.Enabled)
            {
                await RevokeContentsAsync(w, id);
            }

            return after;
        }, cancellationToken);

    /// <summary>Deletes a domain with its projects and users; false when it does not exist, 403 while enabled.</summary>
    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        db.WriteAsync(async w =>
        {
            var row = await w.QuerySingleOrDefaultAsync<Row>(Select + " WHERE id = @id", new { id });
            if (row is null)
            {
                return false;
            }

            if (row.Enabled != 0)
            {
                throw ApiException.Forbidden("Cannot delete a domain that is enabled, please disable it first.", "Forbidden");
            }

            foreach (var project in await w.QueryAsync<string>("SELECT id FROM identity_projects WHERE domain_id = @id", new { id }))
            {
                await ProjectStore.DeleteRowsAsync(w, project);
            }

            foreach (var user in await w.QueryAsync<string>("SELECT id FROM identity_users WHERE domain_id = @id", new { id }))
            {
                await UserStore.DeleteRowsAsync(w, user);
            }

            await w.ExecuteAsync("DELETE FROM identity_domains WHERE id = @id", new { id });
            return true;
        }, cancellationToken);

    private static async Task RevokeContentsAsync(IdentityWrite w, string id)
    {
        foreach (var user in await w.QueryAsync<string>("SELECT id FROM identity_users WHERE domain_id = @id", new { id }))
        {
            await w.RevokeUserTokensAsync(user);
        }

        foreach (var project in await w.QueryAsync<string>("SELECT id FROM identity_projects WHERE domain_id = @id", new { id }))
        {
            await w.RevokeProjectTokensAsync(project);
        }
    }

    private static ApiException DuplicateName(string name) =>
        ApiException.Conflict($"Conflict occurred attempting to store domain - Duplicate entry found with name {name}.");

    private sealed class Row
    {
        public string Id { get; set; } = "";

        public string Name { get; set; } = "";

        public string Description { get; set; } = "";

        public long Enabled { get; set; }

        public Domain ToDomain() => new(Id, Name, Description, Enabled != 0);
    }
}
