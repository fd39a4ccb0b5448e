using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Stratus.Cloud.Identity;
using Stratus.Cloud.Identity.Model;
using Stratus.Cloud.Identity.Storage;
using Stratus.Cloud.Identity.Tokens;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.Persistence;
using Stratus.Testing;

namespace Stratus.Cloud.Tests.Identity;

/// <summary>
/// Identity's services over a real SQLite database in a temp directory, migrated and bootstrapped as at start, on a
/// hand-moved clock. Two fixtures on the same directory act as two controllers sharing one database.
/// </summary>
internal sealed class IdentityFixture : IAsyncDisposable
{
    public const string AdminPassword = "admin-secret";

    private readonly ServiceProvider _services;
    private readonly TempDirectory? _owned;

    private IdentityFixture(ServiceProvider services, TempDirectory? owned, ManualClock clock)
    {
        _services = services;
        _owned = owned;
        Clock = clock;
    }

    public ManualClock Clock { get; }

    public TokenService Tokens => Get<TokenService>();

    public IdentityProvisioning Provisioning => Get<IdentityProvisioning>();

    public static async Task<IdentityFixture> StartAsync(CancellationToken cancellationToken, string? directory = null, ManualClock? clock = null, string adminPassword = AdminPassword)
    {
        var owned = directory is null ? new TempDirectory("stratus-identity") : null;
        clock ??= new ManualClock();
        var options = new CloudOptions { DataDirectory = directory ?? owned!.Path, AdminPassword = adminPassword, PublicUrl = "http://cloud.example:8800" };
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(options)
            .AddSingleton<TimeProvider>(clock)
            .AddPersistence(options)
            .AddOpenStack()
            .AddIdentity()
            .BuildServiceProvider();
        var fixture = new IdentityFixture(services, owned, clock);
        try
        {
            await services.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);
            foreach (var hosted in services.GetServices<IHostedService>())
            {
                await hosted.StartAsync(cancellationToken);
            }

            return fixture;
        }
        catch
        {
            await fixture.DisposeAsync();
            throw;
        }
    }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>A password-free principal for a user on a project (what a successful login resolves to).</summary>
    public async Task<Principal> PrincipalAsync(string userName, string? projectName, CancellationToken cancellationToken)
    {
        var user = await Get<UserStore>().FindByNameAsync(Domain.DefaultId, userName, cancellationToken) ?? throw new InvalidOperationException(userName);
        var project = projectName is null ? null : await Get<ProjectStore>().FindByNameAsync(Domain.DefaultId, projectName, cancellationToken);
        return await Tokens.PrincipalAsync(user.Id, project?.Id, cancellationToken) ?? throw new InvalidOperationException($"{userName} has no access to {projectName}");
    }

    /// <summary>A member user on its own project: (user id, project id).</summary>
    public async Task<(string UserId, string ProjectId)> MemberAsync(string name, CancellationToken cancellationToken)
    {
        var project = await Provisioning.EnsureProjectAsync(name + "-project", "", cancellationToken);
        var user = await Provisioning.EnsureUserAsync(name, name + "-pw", project.Id, cancellationToken);
        await Provisioning.EnsureRoleAssignmentAsync(user.Id, project.Id, RoleNames.Member, cancellationToken);
        return (user.Id, project.Id);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        _owned?.Dispose();
    }
}
