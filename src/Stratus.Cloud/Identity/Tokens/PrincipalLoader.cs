using Dapper;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Identity.Tokens;

/// <summary>
/// Resolves a (user, project) pair from the database, with keystone's rules: the user and its domain enabled; for a
/// project scope, the project and its domain enabled and at least one role there. Roles are the direct ones (by
/// name) followed by those they imply, each once.
/// </summary>
internal sealed class PrincipalLoader(IDatabase database)
{
    public Task<Principal?> LoadAsync(string userId, string? projectId, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var user = await connection.QuerySingleOrDefaultAsync<Owner>(new CommandDefinition(
                """
                SELECT u.id AS Id, u.name AS Name, u.enabled AS Enabled, d.id AS DomainId, d.name AS DomainName, d.enabled AS DomainEnabled
                FROM identity_users u JOIN identity_domains d ON d.id = u.domain_id WHERE u.id = @userId
                """, new { userId }, cancellationToken: cancellationToken));
            if (user is not { Enabled: not 0, DomainEnabled: not 0 })
            {
                return null;
            }

            if (projectId is null)
            {
                return new Principal(user.Id, user.Name, user.DomainId, user.DomainName, null, null, null, null, []);
            }

            var project = await connection.QuerySingleOrDefaultAsync<Owner>(new CommandDefinition(
                """
                SELECT p.id AS Id, p.name AS Name, p.enabled AS Enabled, d.id AS DomainId, d.name AS DomainName, d.enabled AS DomainEnabled
                FROM identity_projects p JOIN identity_domains d ON d.id = p.domain_id WHERE p.id = @projectId
                """, new { projectId }, cancellationToken: cancellationToken));
            if (project is not { Enabled: not 0, DomainEnabled: not 0 })
            {
                return null;
            }

            var direct = (await connection.QueryAsync<TokenRole>(new CommandDefinition(
                """
                SELECT r.id AS Id, r.name AS Name FROM identity_assignments a JOIN identity_roles r ON r.id = a.role_id
                WHERE a.user_id = @userId AND a.project_id = @projectId ORDER BY r.name
                """, new { userId, projectId }, cancellationToken: cancellationToken))).ToList();
            if (direct.Count == 0)
            {
                return null;
            }

            var implications = (await connection.QueryAsync<(string Prior, string ImpliedId, string ImpliedName)>(new CommandDefinition(
                """
                SELECT i.prior_role_id, r.id, r.name FROM identity_role_implications i JOIN identity_roles r ON r.id = i.implied_role_id
                ORDER BY r.name
                """, cancellationToken: cancellationToken))).ToList();
            return new Principal(user.Id, user.Name, user.DomainId, user.DomainName, project.Id, project.Name, project.DomainId, project.DomainName,
                Expand(direct, implications));
        }, cancellationToken);

    /// <summary>The direct roles, then every role they imply (transitively), without repeats.</summary>
    public static IReadOnlyList<TokenRole> Expand(IReadOnlyList<TokenRole> direct, IReadOnlyList<(string Prior, string ImpliedId, string ImpliedName)> implications)
    {
        var result = new List<TokenRole>(direct);
        var seen = new HashSet<string>(direct.Select(r => r.Id), StringComparer.Ordinal);
        for (var i = 0; i < result.Count; i++)
        {
            foreach (var implication in implications)
            {
                if (implication.Prior == result[i].Id && seen.Add(implication.ImpliedId))
                {
                    result.Add(new TokenRole(implication.ImpliedId, implication.ImpliedName));
                }
            }
        }

        return result;
    }

    private sealed class Owner
    {
        public string Id { get; set; } = "";

        public string Name { get; set; } = "";

        public long Enabled { get; set; }

        public string DomainId { get; set; } = "";

        public string DomainName { get; set; } = "";

        public long DomainEnabled { get; set; }
    }
}
