using Dapper;
using Stratus.Cloud.Identity.Model;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Identity.Storage;

/// <summary>Projects (keystone's resource backend), flat or nested under a parent in the same domain.</summary>
internal sealed class ProjectStore(IdentityDb db)
{
    private const string Select =
        """
        SELECT id AS Id, name AS Name, domain_id AS DomainId, parent_id AS ParentId, description AS Description,
               enabled AS Enabled, tags AS Tags, extra AS Extra, created_at AS CreatedAt
        FROM identity_projects
        """;

    public Task<Project?> FindAsync(string id, CancellationToken cancellationToken) =>
        db.ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            Select + " WHERE id = @id", new { id }, cancellationToken: cancellationToken)))?.ToProject(), cancellationToken);

    public Task<Project?> FindByNameAsync(string domainId, string name, CancellationToken cancellationToken) =>
        db.ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            Select + " WHERE domain_id = @domainId AND name = @name", new { domainId, name }, cancellationToken: cancellationToken)))?.ToProject(), cancellationToken);

    public static async Task<Project?> FindByNameAsync(IdentityWrite w, string domainId, string name) =>
        (await w.QuerySingleOrDefaultAsync<Row>(Select + " WHERE domain_id = @domainId AND name = @name", new { domainId, name }))?.ToProject();

    public Task<IReadOnlyList<Project>> ListAsync(ProjectFilter filter, CancellationToken cancellationToken)
    {
        var where = new SqlWhere()
            .Equal("name", "name", filter.Name)
            .Equal("domain_id", "domainId", filter.DomainId)
            .Flag("enabled", "enabled", filter.Enabled)
            .Equal("parent_id", "parentId", filter.ParentId);
        return db.ReadAsync<IReadOnlyList<Project>>(async c => (await c.QueryAsync<Row>(new CommandDefinition(
            Select + where + " ORDER BY name, id", where.Parameters, cancellationToken: cancellationToken))).Select(r => r.ToProject()).ToList(), cancellationToken);
    }

    /// <summary>The projects where the user holds at least one role (GET /v3/users/{id}/projects, /v3/auth/projects).</summary>
    public Task<IReadOnlyList<Project>> ListForUserAsync(string userId, CancellationToken cancellationToken) =>
        db.ReadAsync<IReadOnlyList<Project>>(async c => (await c.QueryAsync<Row>(new CommandDefinition(
            Select + " WHERE id IN (SELECT project_id FROM identity_assignments WHERE user_id = @userId) ORDER BY name, id",
            new { userId }, cancellationToken: cancellationToken))).Select(r => r.ToProject()).ToList(), cancellationToken);

    /// <summary>Stores a new project; 409 when its name is taken in its domain.</summary>
    public Task<Project> CreateAsync(Project project, CancellationToken cancellationToken) =>
        db.WriteAsync(w => CreateAsync(w, project), cancellationToken);

    public static async Task<Project> CreateAsync(IdentityWrite w, Project project)
    {
        var inserted = await w.ExecuteAsync(
            """
            INSERT INTO identity_projects (id, name, domain_id, parent_id, description, enabled, tags, extra, created_at)
            VALUES (@Id, @Name, @DomainId, @ParentId, @Description, @Enabled, @Tags, @Extra, @CreatedAt)
            ON CONFLICT DO NOTHING
            """, Row.From(project));
        return inserted == 1 ? project : throw DuplicateName(project);
    }

    /// <summary>Applies <paramref name="change"/> to the stored project; null when it does not exist.</summary>
    public Task<Project?> UpdateAsync(string id, Func<Project, Project> change, CancellationToken cancellationToken) =>
        db.WriteAsync(async w =>
        {
            var row = await w.QuerySingleOrDefaultAsync<Row>(Select + " WHERE id = @id", new { id });
            if (row is null)
            {
                return null;
            }

            var before = row.ToProject();
            var after = change(before);
            if (after.Name != before.Name && await w.ScalarAsync<string?>(
                "SELECT id FROM identity_projects WHERE domain_id = @DomainId AND name = @Name AND id <> @Id", after) is not null)
            {
                throw DuplicateName(after);
            }

            await w.ExecuteAsync(
                """
                UPDATE identity_projects SET name = @Name, description = @Description, enabled = @Enabled, tags = @Tags, extra = @Extra
                WHERE id = @Id
                """, Row.From(after));
            if (before.Enabled && !after.Enabled)
            {
                await w.RevokeProjectTokensAsync(id);
            }

            return after;
        }, cancellationToken);

    /// <summary>Deletes a project and its role assignments; false when it does not exist, 403 when it has children.</summary>
    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        db.WriteAsync(async w =>
        {
            if (await w.ScalarAsync<string?>("SELECT id FROM identity_projects WHERE id = @id", new { id }) is null)
            {
                return false;
            }

            if (await w.ScalarAsync<string?>("SELECT id FROM identity_projects WHERE parent_id = @id", new { id }) is not null)
            {
                throw ApiException.Forbidden($"Cannot delete the project {id} since it is not a leaf in the hierarchy.", "Forbidden");
            }

            await DeleteRowsAsync(w, id);
            return true;
        }, cancellationToken);

    public static async Task DeleteRowsAsync(IdentityWrite w, string id)
    {
        await w.ExecuteAsync("DELETE FROM identity_assignments WHERE project_id = @id", new { id });
        await w.ExecuteAsync("UPDATE identity_users SET default_project_id = NULL WHERE default_project_id = @id", new { id });
        await w.ExecuteAsync("DELETE FROM identity_projects WHERE id = @id", new { id });
        await w.RevokeProjectTokensAsync(id);
    }

    private static ApiException DuplicateName(Project project) =>
        ApiException.Conflict($"Conflict occurred attempting to store project - it is not permitted to have two projects with the same name in the same domain : {project.Name}.");

    private sealed class Row
    {
        public string Id { get; set; } = "";

        public string Name { get; set; } = "";

        public string DomainId { get; set; } = "";

        public string ParentId { get; set; } = "";

        public string Description { get; set; } = "";

        public long Enabled { get; set; }

        public string Tags { get; set; } = "[]";

        public string Extra { get; set; } = IdentityJsonText.EmptyObject;

        public long CreatedAt { get; set; }

        public static Row From(Project p) => new()
        {
            Id = p.Id,
            Name = p.Name,
            DomainId = p.DomainId,
            ParentId = p.ParentId,
            Description = p.Description,
            Enabled = p.Enabled ? 1 : 0,
            Tags = IdentityJsonText.Tags(p.Tags),
            Extra = p.Extra,
            CreatedAt = DbTime.From(p.CreatedAt),
        };

        public Project ToProject() => new(Id, Name, DomainId, ParentId, Description, Enabled != 0, IdentityJsonText.ParseTags(Tags), Extra, DbTime.To(CreatedAt));
    }
}
