using System.Diagnostics;

namespace Stratus.Benchmarks.Up;

/// <summary>One <c>stratus up</c> run for the benchmark: started, ready when it prints its ready line, stopped with SIGTERM (as Ctrl-C would).</summary>
internal sealed class UpProcess : IAsyncDisposable
{
    private const string ReadyPrefix = "Stratus is up: ";
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private UpProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public static Task<UpProcess> StartAsync(string stratus, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var info = new ProcessStartInfo(stratus) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (stratus.EndsWith(".dll", StringComparison.Ordinal))
        {
            info.FileName = "dotnet";
            info.ArgumentList.Add(stratus);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var up = new UpProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith(ReadyPrefix, StringComparison.Ordinal) == true)
            {
                up._ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Exited += (_, _) => up._ready.TrySetException(new InvalidOperationException($"stratus up exited with {process.ExitCode} before it was ready"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return Task.FromResult(up);
    }

    public Task ReadyAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term!.WaitForExitAsync();
            }

            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
