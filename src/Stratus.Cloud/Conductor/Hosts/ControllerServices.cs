using Stratus.Cloud.Compute.Services;

namespace Stratus.Cloud.Conductor.Hosts;

/// <summary>
/// The controller's own rows in os-services (zone internal, as nova lists them): the conductor, the scheduler,
/// consoleauth, the compute API and the metadata service all live in this process, so this process heartbeats them.
/// </summary>
internal sealed partial class ControllerServices(IServiceStore services, CloudOptions options, TimeProvider time, ILogger<ControllerServices> logger) : BackgroundService
{
    public static readonly IReadOnlyList<string> Binaries = ["nova-conductor", "nova-scheduler", "nova-consoleauth", "nova-osapi_compute", "nova-metadata"];

    /// <summary>The host name the controller's services are listed under.</summary>
    public static string HostName => System.Net.Dns.GetHostName();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ids = new List<long>();
        foreach (var binary in Binaries)
        {
            ids.Add((await services.EnsureAsync(binary, HostName, "internal", null, stoppingToken)).Id);
        }

        using var timer = new PeriodicTimer(options.HeartbeatInterval, time);
        do
        {
            var now = time.GetUtcNow().UtcDateTime;
            try
            {
                foreach (var id in ids)
                {
                    await services.UpdateAsync(id, s => s with { LastSeenUp = now }, stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogHeartbeatFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));
    }

    [LoggerMessage(EventId = 4221, Level = LogLevel.Error, Message = "Recording the controller's own heartbeat failed")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception);
}
