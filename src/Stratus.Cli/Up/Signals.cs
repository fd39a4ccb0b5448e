using System.Runtime.InteropServices;

namespace Stratus.Cli.Up;

/// <summary>POSIX signals to other processes (Process.Kill only knows SIGKILL).</summary>
internal static partial class Signals
{
    private const int SigTerm = 15;

    /// <summary>Sends SIGTERM: the process stops cleanly (ASP.NET Core hosts shut down on it).</summary>
    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    /// <summary>Whether a process with this pid exists (signal 0).</summary>
    public static bool IsAlive(int pid) => pid > 0 && Kill(pid, 0) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
