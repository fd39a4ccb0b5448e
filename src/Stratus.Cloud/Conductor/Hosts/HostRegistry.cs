using System.Collections.Concurrent;
using Stratus.Cloud.Compute.Services;
using Stratus.Cloud.Conductor.Placement;

namespace Stratus.Cloud.Conductor.Hosts;

/// <summary>
/// The managed hosts: one <see cref="HostLink"/> per nova-compute service with a XenAPI connection, loaded from the
/// services table at start and added from the config or the admin API (<c>stratus host add</c>). Keeps the
/// scheduler's view of each host's os-services state in step with the table.
/// </summary>
internal sealed partial class HostRegistry(
    IServiceStore services,
    IXenApiConnector connector,
    PlacementService placement,
    TimeProvider time,
    ILogger<HostRegistry> logger) : IAsyncDisposable
{
    public const string ComputeBinary = "nova-compute";

    private readonly ConcurrentDictionary<string, HostLink> _links = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingHost> _pending = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _changes = new(1, 1);

    /// <summary>Raised when a link is added (the heartbeat starts its loop).</summary>
    public event Action<HostLink>? Added;

    public ICollection<HostLink> Links => _links.Values;

    public IReadOnlyCollection<PendingHost> Pending => [.. _pending.Values];

    public HostLink? Find(string? host) => host is not null && _links.TryGetValue(host, out var link) ? link : null;

    /// <summary>Loads every compute service that has a connection (at start; no host is contacted).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var service in await services.ListAsync(cancellationToken))
        {
            if (service.IsCompute && service.Connection is not null && !_links.ContainsKey(service.Host))
            {
                Attach(service);
            }
        }
    }

    /// <summary>Whether a link already manages <paramref name="url"/>.</summary>
    public bool Manages(string url) => _links.Values.Any(l => SameUrl(l.Connection.Url, url));

    public void MarkPending(string url, string? error) =>
        _pending.AddOrUpdate(url, u => new PendingHost(u, error, time.GetUtcNow().UtcDateTime), (_, p) => p with { LastError = error });

    /// <summary>
    /// Adds a host (or pool) by URL: logs in, learns its name, makes or updates its nova-compute service and starts
    /// managing it. A host already managed under the same name at another URL is taken to have moved when it is the
    /// same XenAPI host (same uuid) and is down; otherwise it is a conflict.
    /// </summary>
    public async Task<(HostLink Link, DiscoveredHost Host)> AddAsync(HostConnection connection, CancellationToken cancellationToken)
    {
        var discovered = await HostDiscovery.DiscoverAsync(connector, connection, cancellationToken);
        await _changes.WaitAsync(cancellationToken);
        try
        {
            if (_links.TryGetValue(discovered.Name, out var existing))
            {
                if (existing.Connection == discovered.Connection)
                {
                    return (existing, discovered);
                }

                // Same URL with new credentials, or the same XenAPI host at a new address while its old one fails:
                // an update. Another host that happens to have the same name: a conflict.
                var moved = (existing.Facts is null || existing.Facts.XenHostUuid == discovered.Uuid) && existing.LastError is not null;
                if (!SameUrl(existing.Connection.Url, discovered.Connection.Url) && !moved)
                {
                    throw new HostConflictException($"A host named {discovered.Name} is already managed at {existing.Connection.Url}.");
                }

                _links.TryRemove(discovered.Name, out _);
                await existing.DisposeAsync();
            }

            var service = await services.EnsureAsync(ComputeBinary, discovered.Name, "nova", discovered.Connection, cancellationToken);
            service = await services.UpdateAsync(service.Id, s => s with { Connection = discovered.Connection }, cancellationToken) ?? service;
            _pending.TryRemove(connection.Url, out _);
            var link = Attach(service);
            LogAdded(logger, discovered.Name, discovered.Connection.Url, string.Join(", ", discovered.PoolHosts));
            return (link, discovered);
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Stops managing a host and deletes its service. False when no such host is managed.</summary>
    public async Task<bool> RemoveAsync(string host, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken);
        try
        {
            if (!_links.TryRemove(host, out var link))
            {
                return false;
            }

            placement.RemoveHost(host);
            await services.DeleteAsync(link.ServiceId, cancellationToken);
            await link.DisposeAsync();
            LogRemoved(logger, host);
            return true;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>
    /// Re-reads the services table: os-services changes (disable, force down) reach the scheduler, and a compute
    /// service deleted through the API stops being managed.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var rows = (await services.ListAsync(cancellationToken)).Where(s => s.IsCompute).ToDictionary(s => s.Host, StringComparer.Ordinal);
        foreach (var service in rows.Values)
        {
            placement.SetFlags(service.Host, Flags(service));
            if (service.Connection is not null && !_links.ContainsKey(service.Host))
            {
                Attach(service);
            }
        }

        foreach (var link in _links.Values.Where(l => !rows.ContainsKey(l.Host)).ToList())
        {
            if (_links.TryRemove(link.Host, out _))
            {
                placement.RemoveHost(link.Host);
                await link.DisposeAsync();
                LogRemoved(logger, link.Host);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var link in _links.Values)
        {
            await link.DisposeAsync();
        }

        _links.Clear();
        _changes.Dispose();
    }

    private HostLink Attach(ServiceRecord service)
    {
        var link = new HostLink(service, connector, time.GetUtcNow().UtcDateTime);
        _links[service.Host] = link;
        placement.SetFlags(service.Host, Flags(service));
        placement.SetLastSeen(service.Host, service.LastSeenUp);
        if (service.Hypervisor is { } facts)
        {
            placement.SetFacts(service.Host, facts, new Dictionary<string, string> { ["hypervisor_type"] = "xen" });
        }

        Added?.Invoke(link);
        return link;
    }

    private static HostFlags Flags(ServiceRecord service) => new(service.Zone, service.Disabled, service.DisabledReason, service.ForcedDown, service.CreatedAt);

    private static bool SameUrl(string a, string b) => string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Managing host {Host} at {Url} (pool hosts: {PoolHosts})")]
    private static partial void LogAdded(ILogger logger, string host, string url, string poolHosts);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "No longer managing host {Host}")]
    private static partial void LogRemoved(ILogger logger, string host);
}
