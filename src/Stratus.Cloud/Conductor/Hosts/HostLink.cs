using System.Collections.Concurrent;
using Stratus.Cloud.Compute.Services;
using Stratus.XenApi;
using Stratus.XenApi.Client;

namespace Stratus.Cloud.Conductor.Hosts;

/// <summary>
/// The controller's connection to one managed XenAPI host or pool (one nova-compute service): its client and
/// logged-in session (logged in again on SESSION_INVALID), the snapshot its heartbeat keeps current, when it last
/// answered, and the per-host caches a build uses (image VDIs, networks).
/// </summary>
internal sealed class HostLink : IAsyncDisposable
{
    /// <summary>Bound on ordinary XenAPI calls; VM power operations get <see cref="PowerCallTimeout"/>.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan PowerCallTimeout = TimeSpan.FromSeconds(180);

    public static readonly TimeSpan LoginTimeout = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _login = new(1, 1);
    private readonly HostSnapshot _snapshot = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private XenSession? _session;

    public HostLink(ServiceRecord service, IXenApiConnector connector, DateTime now)
    {
        Host = service.Host;
        ServiceId = service.Id;
        Connection = service.Connection ?? throw new ArgumentException($"service {service.Host} has no connection", nameof(service));
        Url = new Uri(Connection.Url.EndsWith('/') ? Connection.Url : Connection.Url + "/");
        Client = connector.CreateClient(Url);
        Transfers = connector.Transfers;
        LastSeenUp = service.LastSeenUp;
        LastError = service.LastError;
        Facts = service.Hypervisor;
        FirstSeen = service.Hypervisor?.BootTime ?? now;
    }

    /// <summary>The compute service's host name (the XenAPI master's name_label).</summary>
    public string Host { get; }

    public long ServiceId { get; }

    public HostConnection Connection { get; }

    public Uri Url { get; }

    public XenApiClient Client { get; }

    public HttpClient Transfers { get; }

    public DateTime? LastSeenUp { get; set; }

    public string? LastError { get; set; }

    public DateTime FirstSeen { get; }

    /// <summary>When the service row last got this link's heartbeat (writes are spaced out).</summary>
    public DateTime? LastPersisted { get; set; }

    public HypervisorFacts? Facts { get; private set; }

    public IReadOnlyDictionary<string, string> Capabilities { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyList<string> PoolHosts { get; private set; } = [];

    /// <summary>Cached image VDIs: "srRef/imageId" → VDI ref (validated before use).</summary>
    public ConcurrentDictionary<string, string> ImageVdis { get; } = new(StringComparer.Ordinal);

    /// <summary>XenAPI networks for Neutron networks: network id → network ref.</summary>
    public ConcurrentDictionary<string, string> Networks { get; } = new(StringComparer.Ordinal);

    /// <summary>Stops the heartbeat loop when the host is removed.</summary>
    public CancellationTokenSource Stopping { get; } = new();

    /// <summary>A logged-in session (the same one for every caller; XenSession logs in again when the host forgot it).</summary>
    public async Task<XenSession> SessionAsync(CancellationToken cancellationToken)
    {
        if (_session is { } existing)
        {
            return existing;
        }

        await _login.WaitAsync(cancellationToken);
        try
        {
            if (_session is null)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(LoginTimeout);
                _session = await XenSession.LoginAsync(Client, Connection.User, Connection.Password, timeout.Token);
            }

            return _session;
        }
        finally
        {
            _login.Release();
        }
    }

    /// <summary>Forgets the session (after the host stopped answering: it may come back as a new process).</summary>
    public void DropSession() => _session = null;

    /// <summary>Calls a XenAPI method with the session, bounded by <see cref="CallTimeout"/>.</summary>
    public async Task<object?> CallAsync(string method, CancellationToken cancellationToken, params object?[] parameters) =>
        await CallAsync(method, CallTimeout, cancellationToken, parameters);

    /// <summary>Calls a XenAPI method with the session, bounded by <paramref name="timeout"/>.</summary>
    public async Task<object?> CallAsync(string method, TimeSpan timeout, CancellationToken cancellationToken, params object?[] parameters)
    {
        var session = await SessionAsync(cancellationToken);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            return await session.CallAsync(method, bounded.Token, parameters);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Host} did not answer {method} within {timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>A lock per key (one image import per SR and image, one network creation per network).</summary>
    public SemaphoreSlim LockFor(string key) => _locks.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));

    /// <summary>Runs <paramref name="read"/> on the snapshot under its lock.</summary>
    public T Read<T>(Func<HostSnapshot, T> read)
    {
        lock (_snapshot)
        {
            return read(_snapshot);
        }
    }

    /// <summary>Applies a batch of events (or a reset); refreshes the facts; returns the VM records that changed.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Apply(IReadOnlyList<object?> events, bool reset)
    {
        var changedVms = new List<IReadOnlyDictionary<string, object?>>();
        lock (_snapshot)
        {
            if (reset)
            {
                _snapshot.Reset();
            }

            var factsChanged = reset;
            foreach (var change in events.OfType<IReadOnlyDictionary<string, object?>>())
            {
                var cls = _snapshot.Apply(change);
                if (cls == "vm")
                {
                    if (change.String("operation") != "del")
                    {
                        changedVms.Add(XenRecord.AsRecord(change.GetValueOrDefault("snapshot")));
                    }
                }
                else if (cls is not null)
                {
                    factsChanged = true;
                }
            }

            if (factsChanged && _snapshot.Facts(FirstSeen) is { } facts)
            {
                Facts = facts;
                Capabilities = _snapshot.Capabilities();
                PoolHosts = _snapshot.HostNames;
            }
        }

        return changedVms;
    }

    /// <summary>Whether the host answered within <paramref name="downTime"/> (nova's service_down_time).</summary>
    public bool IsUp(DateTime now, TimeSpan downTime) => LastSeenUp is { } seen && now - seen <= downTime;

    public async ValueTask DisposeAsync()
    {
        await Stopping.CancelAsync();
        if (_session is { } session)
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await Client.CallAsync("session.logout", [session.Ref], quick.Token);
            }
            catch (Exception e) when (e is XenApiFailure or HttpRequestException or OperationCanceledException)
            {
                // A host that is gone has forgotten the session anyway.
            }
        }

        Client.Dispose();
        Stopping.Dispose();
        _login.Dispose();
    }
}
