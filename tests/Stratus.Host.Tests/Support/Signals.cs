using System.Runtime.InteropServices;

namespace Stratus.Host.Tests.Support;

/// <summary>Thread-directed signals, to interrupt a system call on one particular thread.</summary>
internal static partial class Signals
{
    public const int SigChld = 17;

    [LibraryImport("libc", EntryPoint = "gettid")]
    public static partial int CurrentThreadId();

    [LibraryImport("libc", EntryPoint = "getpid")]
    public static partial int ProcessId();

    [LibraryImport("libc", EntryPoint = "tgkill", SetLastError = true)]
    public static partial int Send(int processId, int threadId, int signal);
}
