using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Compute.Services;
using Stratus.Cloud.Network;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.OpenStack.Microversions;

namespace Stratus.Cloud.Compute.Servers;

/// <summary>
/// Loads a <see cref="ServerViewContext"/> for a page of servers with one bulk call per source: the network service
/// for addresses and security groups, the instance store for faults (only of servers whose status shows one), and
/// the service store for host_status (admins, 2.16 and later).
/// </summary>
internal sealed class ServerViewLoader(INetworkAllocator networks, IInstanceStore instances, IServiceStore services, ServiceUrls urls, CloudOptions options, TimeProvider time)
{
    private readonly string _selfPrefix = urls.Compute + "/servers/";
    private readonly string _bookmarkPrefix = urls.ComputeBookmark + "/servers/";
    private readonly string _imagePrefix = urls.ComputeBookmark + "/images/";
    private readonly string _flavorPrefix = urls.ComputeBookmark + "/flavors/";

    /// <summary>A context for views that need no look-ups (GET /servers, the create answer).</summary>
    public ServerViewContext Bare(RequestContext caller, Microversion version) => new()
    {
        Version = version,
        IsAdmin = caller.IsAdmin,
        SelfPrefix = _selfPrefix,
        BookmarkPrefix = _bookmarkPrefix,
        ImagePrefix = _imagePrefix,
        FlavorPrefix = _flavorPrefix,
        Now = time.GetUtcNow().UtcDateTime,
        ServiceDownTime = options.ServiceDownTime,
    };

    /// <summary>A context for full views of <paramref name="servers"/>; <paramref name="knownNetworks"/> skips a second network look-up.</summary>
    public async Task<ServerViewContext> LoadAsync(
        RequestContext caller, Microversion version, IReadOnlyList<Instance> servers, CancellationToken cancellationToken, IReadOnlyDictionary<Guid, InstanceNetworkView>? knownNetworks = null)
    {
        if (servers.Count == 0)
        {
            return Bare(caller, version);
        }

        var ids = new Guid[servers.Count];
        var faulted = new List<Guid>();
        var placed = false;
        for (var i = 0; i < servers.Count; i++)
        {
            ids[i] = servers[i].Id;
            if (ServerView.ShowsFault(ServerView.StatusOf(servers[i])))
            {
                faulted.Add(servers[i].Id);
            }

            placed |= servers[i].Host is not null;
        }

        var networkTask = knownNetworks is not null ? Task.FromResult(knownNetworks) : networks.DescribeAsync(ids, cancellationToken);
        var faultTask = faulted.Count > 0 ? instances.LatestFaultsAsync(faulted, cancellationToken) : Task.FromResult<IReadOnlyDictionary<Guid, InstanceFault>>(new Dictionary<Guid, InstanceFault>());
        Task<IReadOnlyList<ServiceRecord>>? serviceTask = caller.IsAdmin && ServerView.HasHostStatus(version) && placed ? services.ListAsync(cancellationToken) : null;
        var bare = Bare(caller, version);
        return new ServerViewContext
        {
            Version = version,
            IsAdmin = caller.IsAdmin,
            SelfPrefix = bare.SelfPrefix,
            BookmarkPrefix = bare.BookmarkPrefix,
            ImagePrefix = bare.ImagePrefix,
            FlavorPrefix = bare.FlavorPrefix,
            Now = bare.Now,
            ServiceDownTime = bare.ServiceDownTime,
            Networks = await networkTask,
            Faults = await faultTask,
            ComputeServices = serviceTask is null
                ? (caller.IsAdmin && ServerView.HasHostStatus(version) ? new Dictionary<string, ServiceRecord>() : null)
                : (await serviceTask).Where(s => s.IsCompute).GroupBy(s => s.Host, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal),
        };
    }
}
