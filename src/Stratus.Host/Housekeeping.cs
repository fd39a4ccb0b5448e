using Stratus.Host.Sessions;
using Stratus.Host.Tasks;

namespace Stratus.Host;

/// <summary>Periodic clean-up, as xapi's GC thread does: idle sessions and finished tasks nobody destroyed.</summary>
internal sealed partial class Housekeeping(SessionService sessions, TaskService tasks, TimeProvider time, ILogger<Housekeeping> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan SessionIdle = TimeSpan.FromHours(24);
    private static readonly TimeSpan TaskAge = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var expiredSessions = sessions.Expire(SessionIdle);
            var expiredTasks = tasks.Expire(TaskAge);
            if (expiredSessions + expiredTasks > 0)
            {
                LogCleaned(logger, expiredSessions, expiredTasks);
            }
        }
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Housekeeping removed {Sessions} idle sessions and {Tasks} old tasks")]
    private static partial void LogCleaned(ILogger logger, int sessions, int tasks);
}
