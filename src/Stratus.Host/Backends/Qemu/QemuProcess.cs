using System.Diagnostics;
using System.Globalization;

namespace Stratus.Host.Backends.Qemu;

/// <summary>
/// A daemonized QEMU, known by pid: it is not the agent's child (it must survive the agent), so there is no waitpid;
/// /proc tells whether it lives and whether the pid still belongs to the VM's QEMU (its command line carries
/// <c>-uuid &lt;uuid&gt;</c>), which guards against pid reuse.
/// </summary>
internal static class QemuProcess
{
    /// <summary>The pid in QEMU's pid file, or null when there is none.</summary>
    public static async Task<int?> ReadPidFileAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var text = await File.ReadAllTextAsync(path, cancellationToken);
            return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>True while <paramref name="pid"/> is a live (not zombie) process whose command line has <c>-uuid &lt;vmUuid&gt;</c>.</summary>
    public static bool IsAlive(int pid, string vmUuid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The state is the field after the parenthesised command name: "pid (comm) S ...".
            var close = stat.LastIndexOf(')');
            if (close < 0 || close + 2 >= stat.Length || stat[close + 2] is 'Z' or 'X')
                return false;
            var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            var at = Array.IndexOf(args, "-uuid");
            return at >= 0 && at + 1 < args.Length && string.Equals(args[at + 1], vmUuid, StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL, if it is still the VM's QEMU.</summary>
    public static void Kill(int pid, string vmUuid)
    {
        if (!IsAlive(pid, vmUuid))
            return;
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Exited in between.
        }
    }

    /// <summary>Polls until the process is gone; false if it is still there after <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitForExitAsync(int pid, string vmUuid, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
        while (IsAlive(pid, vmUuid))
        {
            if (time.GetTimestamp() >= deadline)
                return false;
            await Task.Delay(TimeSpan.FromMilliseconds(10), time, cancellationToken);
        }

        return true;
    }
}
