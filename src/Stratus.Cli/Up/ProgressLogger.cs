namespace Stratus.Cli.Up;

/// <summary>
/// Turns a long job's log events (the test image builder's "building…", "built") into progress text for the status
/// line, so the first run shows what it is doing while it builds the image.
/// </summary>
internal sealed class ProgressLogger<T>(IProgress<string> progress) : ILogger<T>
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

        progress.Report(formatter(state, exception));
    }
}
