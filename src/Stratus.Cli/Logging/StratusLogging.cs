using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;

namespace Stratus.Cli.Logging;

/// <summary>
/// How every long-running stratus process logs, on stderr: one readable line per event for people, or one JSON
/// object per line when <c>stratus up</c> runs it (<c>STRATUS_LOG_FORMAT=json</c>), so <c>stratus logs</c> can filter
/// by service, request id and server. Scopes (the request id) are kept in both.
/// </summary>
internal static class StratusLogging
{
    public const string FormatVariable = "STRATUS_LOG_FORMAT";

    public static void Configure(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        if (string.Equals(Environment.GetEnvironmentVariable(FormatVariable), "json", StringComparison.OrdinalIgnoreCase))
        {
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.IncludeScopes = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff ";
                o.UseUtcTimestamp = true;
            });
        }

        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("System.Net.Http", LogLevel.Warning);
    }
}
