using Stratus.Cloud.Identity.Model;
using Stratus.Cloud.Identity.Passwords;
using Stratus.Cloud.Identity.Storage;

namespace Stratus.Cloud.Identity;

/// <summary>
/// Makes sure identity objects exist, each in one transaction and safe to repeat or to race with another controller:
/// lookups by name, inserts that do nothing on conflict. <see cref="BootstrapAsync"/> is keystone-manage bootstrap:
/// domain Default, roles admin ⇒ member ⇒ reader, project admin, user admin with the admin role there.
/// </summary>
internal sealed class IdentityProvisioning(IdentityDb db, TimeProvider time, ILogger<IdentityProvisioning> logger) : IIdentityProvisioning
{
    public const string AdminProject = "admin";
    public const string AdminUser = "admin";

    /// <summary>Runs at every start; the admin password is needed only if no admin user exists yet.</summary>
    public async Task BootstrapAsync(string adminPassword, CancellationToken cancellationToken)
    {
        var created = await db.WriteAsync(async w =>
        {
            var made = new List<(string Kind, string Name)>();
            if (await w.ExecuteAsync(
                "INSERT INTO identity_domains (id, name, description, enabled, created_at) VALUES (@id, @name, @description, 1, @now) ON CONFLICT DO NOTHING",
                new { id = Domain.DefaultId, name = Domain.DefaultName, description = "The default domain", now = w.Now }) == 1)
            {
                made.Add(("domain", Domain.DefaultName));
            }

            var roles = new Dictionary<string, string>();
            foreach (var name in new[] { RoleNames.Admin, RoleNames.Member, RoleNames.Reader })
            {
                var (role, isNew) = await EnsureRoleAsync(w, name);
                roles[name] = role;
                if (isNew)
                {
                    made.Add(("role", name));
                }
            }

            await RoleStore.AddImplicationAsync(w, roles[RoleNames.Admin], roles[RoleNames.Member]);
            await RoleStore.AddImplicationAsync(w, roles[RoleNames.Member], roles[RoleNames.Reader]);

            var (project, projectIsNew) = await EnsureProjectAsync(w, AdminProject, "Bootstrap project for initializing the cloud.");
            if (projectIsNew)
            {
                made.Add(("project", AdminProject));
            }

            var existing = await UserStore.FindByNameAsync(w, Domain.DefaultId, AdminUser);
            if (existing is null && string.IsNullOrEmpty(adminPassword))
            {
                throw new CloudStartupException("AdminPassword: no admin user exists yet; set AdminPassword in the config file to create it.");
            }

            var (user, userIsNew) = existing is not null ? (existing, false) : await EnsureUserAsync(w, AdminUser, adminPassword, null);
            if (userIsNew)
            {
                made.Add(("user", AdminUser));
            }

            await AssignmentStore.GrantAsync(w, user.Id, project.Id, roles[RoleNames.Admin]);
            return made;
        }, cancellationToken);

        foreach (var (kind, name) in created)
        {
            logger.BootstrapCreated(kind, name);
        }
    }

    public Task<Project> EnsureProjectAsync(string name, string description, CancellationToken cancellationToken) =>
        db.WriteAsync(async w => (await EnsureProjectAsync(w, name, description)).Project, cancellationToken);

    public Task<User> EnsureUserAsync(string name, string password, string? defaultProjectId, CancellationToken cancellationToken) =>
        db.WriteAsync(async w => (await EnsureUserAsync(w, name, password, defaultProjectId)).User, cancellationToken);

    public Task EnsureRoleAssignmentAsync(string userId, string projectId, string roleName, CancellationToken cancellationToken) =>
        db.WriteAsync(async w =>
        {
            var role = await w.ScalarAsync<string?>("SELECT id FROM identity_roles WHERE name = @roleName", new { roleName })
                ?? throw new InvalidOperationException($"Role {roleName} does not exist.");
            return await AssignmentStore.GrantAsync(w, userId, projectId, role);
        }, cancellationToken);

    private static async Task<(string Id, bool Created)> EnsureRoleAsync(IdentityWrite w, string name)
    {
        if (await w.ScalarAsync<string?>("SELECT id FROM identity_roles WHERE name = @name", new { name }) is { } id)
        {
            return (id, false);
        }

        var role = await RoleStore.CreateAsync(w, new Role(IdentityIds.New(), name, null));
        return (role.Id, true);
    }

    private async Task<(Project Project, bool Created)> EnsureProjectAsync(IdentityWrite w, string name, string description)
    {
        if (await ProjectStore.FindByNameAsync(w, Domain.DefaultId, name) is { } existing)
        {
            return (existing, false);
        }

        var project = new Project(IdentityIds.New(), name, Domain.DefaultId, Domain.DefaultId, description, true, [], IdentityJsonText.EmptyObject, time.GetUtcNow().UtcDateTime);
        return (await ProjectStore.CreateAsync(w, project), true);
    }

    private async Task<(User User, bool Created)> EnsureUserAsync(IdentityWrite w, string name, string password, string? defaultProjectId)
    {
        if (await UserStore.FindByNameAsync(w, Domain.DefaultId, name) is { } existing)
        {
            return (existing, false);
        }

        var user = new User(IdentityIds.New(), name, Domain.DefaultId, true, defaultProjectId, PasswordHasher.Hash(password), IdentityJsonText.EmptyObject, time.GetUtcNow().UtcDateTime);
        return (await UserStore.CreateAsync(w, user), true);
    }
}
