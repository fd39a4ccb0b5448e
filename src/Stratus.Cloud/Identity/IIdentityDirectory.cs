namespace Stratus.Cloud.Identity;

/// <summary>Lookups other areas need from Identity (project and user names, for views and policy).</summary>
internal interface IIdentityDirectory
{
    Task<ProjectSummary?> FindProjectAsync(string projectId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProjectSummary>> ListProjectsAsync(CancellationToken cancellationToken);
}
