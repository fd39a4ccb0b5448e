using System.ComponentModel;
using System.Diagnostics;

namespace Stratus.Host.Processes;

/// <summary>
/// Runs a short-lived external tool (ip, mkfs.vfat, qemu-img, a daemonizing qemu) to completion and captures its
/// output. Cancellation kills the process tree. Stdin is closed so a tool never waits for a terminal.
/// </summary>
internal static class ExternalCommand
{
    public static async Task<CommandResult> RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new CommandNotFoundException(fileName, e);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
            return new CommandResult(fileName, process.ExitCode, await stdout, await stderr);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            throw;
        }
    }

    /// <summary>Runs and throws <see cref="CommandFailedException"/> unless the exit code is 0; returns stdout.</summary>
    public static async Task<string> RunCheckedAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var result = await RunAsync(fileName, arguments, cancellationToken);
        if (!result.Succeeded)
            throw new CommandFailedException(result);
        return result.StandardOutput;
    }

    /// <summary>The absolute path of <paramref name="name"/> on PATH (or the name itself if it already has a slash), or null.</summary>
    public static string? Find(string name)
    {
        if (name.Contains('/'))
            return File.Exists(name) ? name : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        // Tools such as ip and mkfs.vfat live in sbin, which a non-root PATH often lacks.
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin"]))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
                return candidate;
        }

        return null;
    }
}
