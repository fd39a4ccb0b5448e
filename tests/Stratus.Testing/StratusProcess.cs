using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Stratus.Testing;

/// <summary>
/// The real <c>stratus</c> program run as a child process, as users run it: started with arguments, ready when it
/// prints its ready line (which carries the address it listens on), stopped with SIGTERM or killed with SIGKILL.
/// Its stdout and stderr are kept for the failure message.
/// </summary>
public sealed partial class StratusProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _readyPrefix;

    private StratusProcess(Process process, string readyPrefix)
    {
        _process = process;
        _readyPrefix = readyPrefix;
    }

    /// <summary>The URL the process printed in its ready line, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Url { get; private set; } = null!;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote so far (stdout and stderr interleaved).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The built stratus.dll next to the test assembly's solution, run with the current dotnet host.</summary>
    public static string StratusDll
    {
        get
        {
            var fromEnvironment = System.Environment.GetEnvironmentVariable("STRATUS_DLL");
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                return fromEnvironment;
            }

            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Stratus.slnx")))
            {
                directory = directory.Parent;
            }

            if (directory is null)
            {
                throw new InvalidOperationException("Cannot find Stratus.slnx above " + AppContext.BaseDirectory);
            }

            var configuration = AppContext.BaseDirectory.Contains($"{System.IO.Path.DirectorySeparatorChar}Release{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var dll = System.IO.Path.Combine(directory.FullName, "src", "Stratus.Cli", "bin", configuration, "net10.0", "stratus.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build src/Stratus.Cli first (dotnet build Stratus.slnx)");
        }
    }

    /// <summary>Starts <c>stratus &lt;arguments&gt;</c> and waits for the line starting with <paramref name="readyPrefix"/>.</summary>
    public static async Task<StratusProcess> StartAsync(IEnumerable<string> arguments, string readyPrefix, CancellationToken cancellationToken, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(StratusDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var stratus = new StratusProcess(process, readyPrefix);
        process.OutputDataReceived += (_, e) => stratus.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => stratus.OnLine(e.Data);
        process.Exited += (_, _) => stratus._ready.TrySetException(new InvalidOperationException($"stratus exited with {process.ExitCode} before it was ready:\n{stratus.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            var line = await stratus._ready.Task.WaitAsync(timeout.Token);
            stratus.Url = new Uri(UrlPattern().Match(line).Value);
            return stratus;
        }
        catch
        {
            await stratus.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the process without warning (SIGKILL), as a crash or <c>kill -9</c> would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Asks the process to stop (SIGTERM) and waits for it.</summary>
    public async Task<int> StopAsync(CancellationToken cancellationToken)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill!.WaitForExitAsync(cancellationToken);
            await _process.WaitForExitAsync(cancellationToken);
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.StartsWith(_readyPrefix, StringComparison.Ordinal) && UrlPattern().IsMatch(line))
        {
            _ready.TrySetResult(line);
        }
    }

    [GeneratedRegex(@"https?://[^\s)]+")]
    private static partial Regex UrlPattern();
}
