using Stratus.Cloud.Identity;

namespace Stratus.Cloud.Tests.Compute.Support;

/// <summary>Identity's project look-up with the projects the fake tokens are scoped to.</summary>
internal sealed class FakeIdentityDirectory : IIdentityDirectory
{
    private static readonly ProjectSummary[] Projects =
    [
        new(FakeTokenValidator.AdminProject, "admin", true),
        new(FakeTokenValidator.DemoProject, "demo", true),
        new(FakeTokenValidator.OtherProject, "other", true),
    ];

    public Task<ProjectSummary?> FindProjectAsync(string projectId, CancellationToken cancellationToken) =>
        Task.FromResult(Projects.FirstOrDefault(p => p.Id == projectId));

    public Task<IReadOnlyList<ProjectSummary>> ListProjectsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ProjectSummary>>(Projects);
}
