using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Stratus.Cloud.Compute;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Compute.Services;
using Stratus.Cloud.Conductor;
using Stratus.Cloud.Conductor.Hosts;
using Stratus.Cloud.Conductor.Placement;
using Stratus.Cloud.Image;
using Stratus.Cloud.Network;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Tests.Fakes;

/// <summary>
/// The conductor area composed as the controller composes it (real SQLite stores, real hosted services), with the
/// host side replaced by <see cref="FakeXenHost"/>s and the image and network areas by fakes. Stop it and start
/// another on the same directory to see what a restart does.
/// </summary>
internal sealed class ConductorHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly List<IHostedService> _hosted;
    private bool _stopped;

    private ConductorHarness(ServiceProvider provider, List<IHostedService> hosted)
    {
        _provider = provider;
        _hosted = hosted;
    }

    public static readonly FlavorSnapshot Small = new("1", "m1.small", 2048, 1, 20, 0, 0, 1.0, new Dictionary<string, string>());

    public CloudOptions Options => _provider.GetRequiredService<CloudOptions>();

    public IConductor Conductor => _provider.GetRequiredService<IConductor>();

    public ConductorService Service => _provider.GetRequiredService<ConductorService>();

    public IInstanceStore Instances => _provider.GetRequiredService<IInstanceStore>();

    public IServiceStore Services => _provider.GetRequiredService<IServiceStore>();

    public PlacementService Placement => _provider.GetRequiredService<PlacementService>();

    public HostRegistry Registry => _provider.GetRequiredService<HostRegistry>();

    public static async Task<ConductorHarness> StartAsync(string directory, FakeConnector connector, FakeImageCatalog images, FakeNetworkAllocator network,
        IEnumerable<FakeXenHost> hosts, CancellationToken cancellationToken, Action<CloudOptions>? configure = null)
    {
        var options = new CloudOptions
        {
            DataDirectory = directory,
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
            ServiceDownTime = TimeSpan.FromSeconds(2),
            Hosts = [.. hosts.Select(h => new HostConnectionOptions { Url = h.Url.ToString(), User = "root", Password = FakeXenHost.Password })],
        };
        configure?.Invoke(options);
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(options)
            .AddSingleton(TimeProvider.System)
            .AddPersistence(options)
            .AddComputeStorage()
            .AddConductor()
            .AddSingleton<IXenApiConnector>(connector)
            .AddSingleton<IImageCatalog>(images)
            .AddSingleton<INetworkAllocator>(network);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(cancellationToken);
        }

        return new ConductorHarness(provider, hosted);
    }

    /// <summary>Waits until every configured host is managed and has answered a heartbeat.</summary>
    public async Task WaitForHostsAsync(int count, CancellationToken cancellationToken)
    {
        while (Registry.Links.Count(l => l.Facts is not null && l.LastError is null && l.LastSeenUp is not null) < count)
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Stores a new server (as the compute API does: building/scheduling with its create action) and asks for its build.</summary>
    public async Task<Instance> BootAsync(string imageId, CancellationToken cancellationToken, FlavorSnapshot? flavor = null, string? name = null, bool configDrive = false, string? requestId = null)
    {
        var id = Guid.NewGuid();
        requestId ??= "req-" + Guid.NewGuid().ToString("D");
        var instance = new Instance
        {
            Id = id,
            Name = name ?? "vm-" + id.ToString("N")[..6],
            ProjectId = "project-1",
            UserId = "user-1",
            ImageId = imageId,
            Flavor = flavor ?? Small,
            ConfigDrive = configDrive,
            Hostname = name ?? "vm",
        };
        var stored = await Instances.CreateAsync(instance, new InstanceAction(id, "create", requestId, "user-1", "project-1", DateTime.UtcNow, null, null, []), cancellationToken);
        await Conductor.BuildAsync(id, requestId, cancellationToken);
        return stored;
    }

    /// <summary>Records an API action and returns its request id (what the compute API does before calling the conductor).</summary>
    public async Task<string> ActionAsync(Guid instanceId, string action, Func<Instance, Instance>? taskState, CancellationToken cancellationToken)
    {
        var requestId = "req-" + Guid.NewGuid().ToString("D");
        await Instances.StartActionAsync(new InstanceAction(instanceId, action, requestId, "user-1", "project-1", DateTime.UtcNow, null, null, []), cancellationToken);
        if (taskState is not null)
        {
            await Instances.UpdateAsync(instanceId, taskState, cancellationToken);
        }

        return requestId;
    }

    public Task IdleAsync() => Service.IdleAsync();

    public async Task<Instance> ReloadAsync(Guid id, CancellationToken cancellationToken) =>
        (await Instances.FindAsync(id, includeDeleted: true, cancellationToken))!;

    /// <summary>Stops the hosted services (work in flight is cancelled and stays in the work table, as after a kill).</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        for (var i = _hosted.Count - 1; i >= 0; i--)
        {
            await _hosted[i].StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
