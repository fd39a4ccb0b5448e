using System.ComponentModel;
using System.Diagnostics;

namespace Stratus.Host.Processes;

/// <summary>
/// The real <see cref="ICommandRunner"/>: starts the program directly (no shell), closes its stdin so a tool that
/// would prompt (lvm) fails instead of hanging, reads stdout and stderr concurrently, and kills the process when the
/// caller cancels. Every tool runs with <c>LC_ALL=C</c> so the output we parse never changes with the host's locale.
/// </summary>
internal sealed partial class ProcessRunner(ILogger<ProcessRunner> logger, TimeProvider timeProvider) : ICommandRunner
{
    public async Task<CommandResult> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["LC_ALL"] = "C";
        // lvm2 complains on stderr about every inherited descriptor; that noise would end up in error messages.
        startInfo.Environment["LVM_SUPPRESS_FD_WARNINGS"] = "1";

        using var process = new Process { StartInfo = startInfo };
        var started = timeProvider.GetTimestamp();
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            var reason = $"{fileName}: cannot run: {exception.Message}";
            LogCannotStart(logger, CommandLineText.Format(fileName, arguments), exception.Message);
            return new CommandResult(fileName, arguments, 127, "", reason);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAll(stdout, stderr);
            LogCancelled(logger, CommandLineText.Format(fileName, arguments));
            throw;
        }

        var result = new CommandResult(fileName, arguments, process.ExitCode, await stdout, await stderr);
        LogFinished(logger, result.CommandLine, result.ExitCode, timeProvider.GetElapsedTime(started).TotalMilliseconds);
        return result;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the cancellation and the kill.
        }
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Debug, Message = "{CommandLine} exited with {ExitCode} after {ElapsedMs:F1} ms")]
    private static partial void LogFinished(ILogger logger, string commandLine, int exitCode, double elapsedMs);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "{CommandLine} cancelled; process killed")]
    private static partial void LogCancelled(ILogger logger, string commandLine);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "{CommandLine} could not be started: {Reason}")]
    private static partial void LogCannotStart(ILogger logger, string commandLine, string reason);
}
