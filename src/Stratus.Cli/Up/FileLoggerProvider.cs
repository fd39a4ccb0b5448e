using System.Text.Json.Nodes;

namespace Stratus.Cli.Up;

/// <summary>Writes the supervisor's own log events to its JSON-lines file, beside the services' (logs/up.jsonl).</summary>
internal sealed class FileLoggerProvider(LogWriter writer, TimeProvider time) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new FileLogger(writer, time, categoryName);

    public void Dispose() => writer.Dispose();

    private sealed class FileLogger(LogWriter writer, TimeProvider time, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var entry = new JsonObject
            {
                ["Timestamp"] = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
                ["EventId"] = eventId.Id,
                ["LogLevel"] = logLevel.ToString(),
                ["Category"] = category,
                ["Message"] = formatter(state, exception) + (exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})"),
            };
            writer.Write(entry.ToJsonString());
        }
    }
}
