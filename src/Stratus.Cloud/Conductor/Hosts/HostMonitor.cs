using Stratus.Cloud.Compute.Services;
using Stratus.Cloud.Conductor.Placement;
using Stratus.XenApi;
using Stratus.XenApi.Client;

namespace Stratus.Cloud.Conductor.Hosts;

/// <summary>
/// The compute services' heartbeats. Each managed host gets a loop that long-polls <c>event.from</c> for its pool,
/// hosts, metrics, SRs, PBDs and VMs: every answer (events or the timeout's empty batch) is a heartbeat, and the
/// events keep the host's facts and the cloud's VM power states current without polling records. A host that stops
/// answering gets its error recorded and is retried with backoff; its service turns down once the last heartbeat is
/// older than service_down_time, and the scheduler stops placing servers there.
/// </summary>
internal sealed partial class HostMonitor(
    HostRegistry registry,
    IServiceStore services,
    PlacementService placement,
    IVmStateObserver observer,
    CloudOptions options,
    TimeProvider time,
    ILogger<HostMonitor> logger) : BackgroundService
{
    private static readonly TimeSpan MinimumBackoff = TimeSpan.FromMilliseconds(250);

    private readonly Lock _loopsGate = new();
    private readonly List<Task> _loops = [];
    private CancellationToken _stopping;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        registry.Added += StartLoop;
        foreach (var link in registry.Links)
        {
            StartLoop(link);
        }

        var registrations = RegisterConfiguredHostsAsync(stoppingToken);
        try
        {
            // os-services changes (disable, force down, delete) reach the scheduler within a couple of seconds.
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2), time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await registry.RefreshAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRefreshFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            registry.Added -= StartLoop;
            await registrations.ContinueWith(_ => { }, TaskScheduler.Default);
            Task[] loops;
            lock (_loopsGate)
            {
                loops = [.. _loops];
            }

            await Task.WhenAll(loops).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private void StartLoop(HostLink link)
    {
        lock (_loopsGate)
        {
            _loops.RemoveAll(t => t.IsCompleted);
            _loops.Add(Task.Run(() => RunAsync(link, _stopping), CancellationToken.None));
        }
    }

    /// <summary>The configured hosts not yet known as services: contact them until they answer.</summary>
    private async Task RegisterConfiguredHostsAsync(CancellationToken cancellationToken)
    {
        var waiting = options.Hosts.Where(h => !registry.Manages(h.Url)).ToList();
        var backoff = MinimumBackoff;
        while (waiting.Count > 0 && !cancellationToken.IsCancellationRequested)
        {
            foreach (var host in waiting.ToList())
            {
                var connection = new HostConnection(host.Url, host.User, host.Password);
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(HostLink.LoginTimeout + TimeSpan.FromSeconds(5));
                    await registry.AddAsync(connection, timeout.Token);
                    waiting.Remove(host);
                }
                catch (Exception e) when (e is XenApiFailure or HttpRequestException or OperationCanceledException or HostConflictException or IOException && !cancellationToken.IsCancellationRequested)
                {
                    registry.MarkPending(host.Url, Describe(e));
                    LogRegistrationFailed(logger, host.Url, Describe(e));
                }
            }

            if (waiting.Count > 0)
            {
                await Task.Delay(backoff, time, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = Min(backoff * 2, Max(options.HeartbeatInterval, TimeSpan.FromSeconds(1)));
            }
        }
    }

    private async Task RunAsync(HostLink link, CancellationToken stoppingToken)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, link.Stopping.Token);
        var cancellationToken = both.Token;
        var token = "";
        var backoff = MinimumBackoff;
        var wait = Math.Max(1.0, options.HeartbeatInterval.TotalSeconds);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var scope = XenRequestId.Begin($"req-heartbeat-{link.Host}");
                var reply = XenRecord.AsRecord(await link.CallAsync("event.from", TimeSpan.FromSeconds(wait + 15), cancellationToken, HostSnapshot.Classes, token, wait));
                var events = reply.TryGetValue("events", out var list) && list is IReadOnlyList<object?> batch ? batch : XenValue.EmptySet;
                var changedVms = link.Apply(events, reset: token.Length == 0);
                token = reply.String("token");
                backoff = MinimumBackoff;
                await HeartbeatAsync(link, cancellationToken);
                if (changedVms.Count > 0)
                {
                    await observer.ObserveAsync(link.Host, changedVms, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (XenApiFailure failure) when (failure.Code is XenErrors.EventsLost or XenErrors.EventFromTokenParseFailure)
            {
                // The host restarted or we fell too far behind: start over from a full snapshot.
                token = "";
            }
            catch (Exception e) when (e is XenApiFailure or HttpRequestException or TimeoutException or IOException or OperationCanceledException or System.Text.Json.JsonException or InvalidCastException)
            {
                token = "";
                link.DropSession();
                await FailedAsync(link, Describe(e), cancellationToken);
                await Task.Delay(backoff, time, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = Min(backoff * 2, options.HeartbeatInterval);
            }
        }
    }

    /// <summary>The host answered: it is up now; the row is written once per heartbeat interval (or when its facts changed shape).</summary>
    private async Task HeartbeatAsync(HostLink link, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var recovered = link.LastError is not null;
        link.LastSeenUp = now;
        link.LastError = null;
        placement.SetLastSeen(link.Host, now);
        var facts = link.Facts;
        if (facts is not null)
        {
            placement.SetFacts(link.Host, facts, link.Capabilities);
        }

        if (recovered)
        {
            LogHostUp(logger, link.Host);
        }

        if (!recovered && link.LastPersisted is { } last && now - last < options.HeartbeatInterval / 2)
        {
            return;
        }

        link.LastPersisted = now;
        await services.UpdateAsync(link.ServiceId, s => s with { LastSeenUp = now, LastError = null, Hypervisor = facts ?? s.Hypervisor }, cancellationToken);
    }

    private async Task FailedAsync(HostLink link, string error, CancellationToken cancellationToken)
    {
        var changed = link.LastError != error;
        link.LastError = error;
        if (!changed)
        {
            return;
        }

        LogHostFailed(logger, link.Host, error);
        try
        {
            await services.UpdateAsync(link.ServiceId, s => s with { LastError = error }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRefreshFailed(logger, e);
        }
    }

    /// <summary>A host failure in one line: the XenAPI error code and parameters, or the transport's message.</summary>
    public static string Describe(Exception e) => e switch
    {
        XenApiFailure failure => string.Join(" ", failure.Description),
        HttpRequestException { InnerException: { } inner } http => $"{http.Message} ({inner.Message})",
        OperationCanceledException => "the host did not answer in time",
        _ => e.Message,
    };

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [LoggerMessage(EventId = 4211, Level = LogLevel.Warning, Message = "Host {Host} does not answer: {Error}")]
    private static partial void LogHostFailed(ILogger logger, string host, string error);

    [LoggerMessage(EventId = 4212, Level = LogLevel.Information, Message = "Host {Host} answers again")]
    private static partial void LogHostUp(ILogger logger, string host);

    [LoggerMessage(EventId = 4213, Level = LogLevel.Warning, Message = "Configured host {Url} could not be added yet: {Error}")]
    private static partial void LogRegistrationFailed(ILogger logger, string url, string error);

    [LoggerMessage(EventId = 4214, Level = LogLevel.Error, Message = "Reading the services table failed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
