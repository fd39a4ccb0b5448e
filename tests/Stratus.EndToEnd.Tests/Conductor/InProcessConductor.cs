using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Stratus.Cloud;
using Stratus.Cloud.Compute;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Conductor;
using Stratus.Cloud.Conductor.Hosts;
using Stratus.Cloud.Conductor.Placement;
using Stratus.Cloud.Image;
using Stratus.Cloud.Network;
using Stratus.Cloud.Persistence;

namespace Stratus.EndToEnd.Tests.Conductor;

/// <summary>
/// The controller's conductor area, composed as the controller composes it (SQLite, hosted services, the real
/// XenAPI connector), driving real host agent processes; images and ports come from small in-memory stand-ins.
/// </summary>
internal sealed class InProcessConductor : IAsyncDisposable
{
    public static readonly FlavorSnapshot Small = new("2", "m1.small", 2048, 1, 20, 0, 0, 1.0, new Dictionary<string, string>());

    private readonly ServiceProvider _provider;
    private readonly List<IHostedService> _hosted;
    private bool _stopped;

    private InProcessConductor(ServiceProvider provider, List<IHostedService> hosted)
    {
        _provider = provider;
        _hosted = hosted;
    }

    public IConductor Conductor => _provider.GetRequiredService<IConductor>();

    public ConductorService Service => _provider.GetRequiredService<ConductorService>();

    public IInstanceStore Instances => _provider.GetRequiredService<IInstanceStore>();

    public PlacementService Placement => _provider.GetRequiredService<PlacementService>();

    public HostRegistry Registry => _provider.GetRequiredService<HostRegistry>();

    public Images ImageStore => (Images)_provider.GetRequiredService<IImageCatalog>();

    public static async Task<InProcessConductor> StartAsync(string directory, IEnumerable<Uri> hosts, CancellationToken cancellationToken, Action<CloudOptions>? configure = null)
    {
        var options = new CloudOptions
        {
            DataDirectory = directory,
            HeartbeatInterval = TimeSpan.FromMilliseconds(500),
            ServiceDownTime = TimeSpan.FromSeconds(3),
            Hosts = [.. hosts.Select(h => new HostConnectionOptions { Url = h.ToString(), User = "root", Password = Stratus.Testing.HostAgentProcess.Password })],
        };
        configure?.Invoke(options);
        Directory.CreateDirectory(directory);
        var images = new Images();
        images.Add("cirros", new byte[5 << 20]);
        var provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton(options)
            .AddSingleton(TimeProvider.System)
            .AddPersistence(options)
            .AddComputeStorage()
            .AddConductor()
            .AddSingleton<IImageCatalog>(images)
            .AddSingleton<INetworkAllocator, Ports>()
            .BuildServiceProvider();
        await provider.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(cancellationToken);
        }

        return new InProcessConductor(provider, hosted);
    }

    public async Task WaitForHostsAsync(int count, CancellationToken cancellationToken)
    {
        while (Registry.Links.Count(l => l.Facts is not null && l.LastError is null) < count)
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    public async Task<Instance> BootAsync(CancellationToken cancellationToken, FlavorSnapshot? flavor = null, string image = "cirros", string? name = null)
    {
        var id = Guid.NewGuid();
        var requestId = "req-" + Guid.NewGuid().ToString("D");
        var instance = new Instance { Id = id, Name = name ?? "e2e-" + id.ToString("N")[..6], Hostname = name ?? "e2e", ProjectId = "demo", UserId = "demo", ImageId = image, Flavor = flavor ?? Small };
        var stored = await Instances.CreateAsync(instance, new InstanceAction(id, "create", requestId, "demo", "demo", DateTime.UtcNow, null, null, []), cancellationToken);
        await Conductor.BuildAsync(id, requestId, cancellationToken);
        return stored;
    }

    public async Task<Instance> WaitAsync(Guid id, Func<Instance, bool> done, CancellationToken cancellationToken)
    {
        while (true)
        {
            var instance = (await Instances.FindAsync(id, includeDeleted: true, cancellationToken))!;
            if (done(instance))
            {
                return instance;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    public async Task<InstanceFault?> FaultAsync(Guid id, CancellationToken cancellationToken) =>
        (await Instances.LatestFaultsAsync([id], cancellationToken)).GetValueOrDefault(id);

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

    /// <summary>Images as bytes in memory (the image area's stand-in).</summary>
    internal sealed class Images : IImageCatalog
    {
        private readonly ConcurrentDictionary<string, (ImageInfo Info, byte[] Data)> _images = new(StringComparer.Ordinal);

        public void Add(string id, byte[] data, string format = "raw") =>
            _images[id] = (new ImageInfo(id, id, "active", format, "bare", data.Length, null, 0, 0, "admin", "public", new Dictionary<string, string>()), data);

        public Task<ImageInfo?> FindAsync(string imageId, string? projectId, CancellationToken cancellationToken) =>
            Task.FromResult(_images.TryGetValue(imageId, out var image) ? image.Info : null);

        public Task<Stream> OpenReadAsync(string imageId, CancellationToken cancellationToken) =>
            Task.FromResult<Stream>(new MemoryStream(_images[imageId].Data, writable: false));
    }

    /// <summary>One port per server on one network (the network area's stand-in).</summary>
    private sealed class Ports : INetworkAllocator
    {
        private int _next = 10;

        public Task ValidateAsync(string projectId, NetworkRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyList<PortAllocation>> AllocateAsync(string projectId, Guid instanceId, NetworkRequest request, IReadOnlyList<string> securityGroups, CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref _next);
            return Task.FromResult<IReadOnlyList<PortAllocation>>(
            [
                new PortAllocation(Guid.NewGuid().ToString("D"), "5d2c7a10-0000-4000-8000-00000000e2e0", "private", $"fa:16:3e:e2:{n >> 8:x2}:{n & 0xff:x2}", 1500,
                    [new FixedIp("subnet", $"10.0.{n >> 8}.{n & 0xff}", 4, "10.0.0.0/16", "10.0.0.1", [])]),
            ]);
        }

        public Task BindAsync(Guid instanceId, string host, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task DeallocateAsync(Guid instanceId, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyDictionary<Guid, InstanceNetworkView>> DescribeAsync(IReadOnlyCollection<Guid> instanceIds, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<Guid, InstanceNetworkView>>(new Dictionary<Guid, InstanceNetworkView>());
    }
}
