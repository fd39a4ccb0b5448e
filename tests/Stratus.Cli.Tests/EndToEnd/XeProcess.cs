using System.Diagnostics;
using Stratus.Testing;

namespace Stratus.Cli.Tests.EndToEnd;

/// <summary>Runs the real <c>stratus xe ...</c> as a child process and captures its exact output.</summary>
internal static class XeProcess
{
    public static async Task<XeResult> RunAsync(IEnumerable<string> args, CancellationToken cancellationToken, IDictionary<string, string>? environment = null, string? stdin = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(StratusProcess.StratusDll);
        info.ArgumentList.Add("xe");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // A test must not pick up the developer's ~/.xe or XE_EXTRA_ARGS.
        info.Environment["HOME"] = Path.GetTempPath();
        info.Environment.Remove("XE_EXTRA_ARGS");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardInput.WriteAsync(stdin ?? "");
        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new XeResult(process.ExitCode, await stdout, await stderr);
    }
}
