using Stratus.Cloud.Identity.Storage;

namespace Stratus.Cloud.Identity;

/// <summary>Project lookups for other areas (names in views, project existence for policy).</summary>
internal sealed class IdentityDirectory(ProjectStore projects) : IIdentityDirectory
{
    public async Task<ProjectSummary?> FindProjectAsync(string projectId, CancellationToken cancellationToken) =>
        await projects.FindAsync(projectId, cancellationToken) is { } p ? new ProjectSummary(p.Id, p.Name, p.Enabled) : null;

    public async Task<IReadOnlyList<ProjectSummary>> ListProjectsAsync(CancellationToken cancellationToken) =>
        [.. (await projects.ListAsync(new ProjectFilter(), cancellationToken)).Select(p => new ProjectSummary(p.Id, p.Name, p.Enabled))];
}
