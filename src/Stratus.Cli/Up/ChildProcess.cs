using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Stratus.Cli.Up;

/// <summary>
/// One running service of the all-in-one cloud: a stratus child process whose stderr (JSON log lines) and stdout go
/// to its log file, and which is ready once it prints its ready line (which carries its URL).
/// </summary>
internal sealed partial class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(ServiceDefinition definition, Process process)
    {
        Definition = definition;
        _process = process;
    }

    public ServiceDefinition Definition { get; }

    public int Pid => _process.Id;

    public string Url { get; private set; } = "";

    public Task Exited => _process.WaitForExitAsync();

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public static ChildProcess Start(ServiceDefinition definition, LogWriter log)
    {
        var info = SelfCommand.Create(definition.Arguments);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.Environment["STRATUS_LOG_FORMAT"] = "json";
        // Small, steady footprints for the all-in-one: workstation GC without a background thread (performance.md).
        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment["DOTNET_gcConcurrent"] = "0";
        info.Environment["DOTNET_GCHeapHardLimitPercent"] = "0";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(definition, process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }

            log.Write(line);
            if (line.StartsWith(definition.ReadyPrefix, StringComparison.Ordinal) && UrlPattern().Match(line) is { Success: true } url)
            {
                child.Url = url.Value;
                child._ready.TrySetResult(url.Value);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                log.Write(line, "Error");
            }
        };
        process.Exited += (_, _) => child._ready.TrySetException(new InvalidOperationException(
            $"{definition.Name} exited with code {process.ExitCode} before it was ready (see stratus logs --service {definition.Name})"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public Task<string> WaitReadyAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    /// <summary>Asks the process to stop (SIGTERM) and kills it if it has not stopped in time.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        Signals.Terminate(_process.Id);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }

    [GeneratedRegex(@"https?://[^\s)]+")]
    private static partial Regex UrlPattern();
}
