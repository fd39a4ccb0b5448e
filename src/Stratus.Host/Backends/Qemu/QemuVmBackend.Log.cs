namespace Stratus.Host.Backends.Qemu;

internal sealed partial class QemuVmBackend
{
    private static partial class Log
    {
        [LoggerMessage(3010, LogLevel.Information, "VM {VmUuid} started: QEMU pid {Pid}, {Accelerator}, VNC {Vnc}, in {ElapsedMs:F0} ms")]
        public static partial void Started(ILogger logger, string vmUuid, int pid, string accelerator, string? vnc, double elapsedMs);

        [LoggerMessage(3011, LogLevel.Warning, "VM {VmUuid}: QEMU failed to start: {Message}")]
        public static partial void StartFailed(ILogger logger, string vmUuid, string message);

        [LoggerMessage(3012, LogLevel.Information, "VM {VmUuid} stopped (QEMU pid {Pid}, reason {Reason}, requested {Requested})")]
        public static partial void Stopped(ILogger logger, string vmUuid, int pid, string reason, bool requested);

        [LoggerMessage(3013, LogLevel.Debug, "VM {VmUuid}: QMP event {Event} {Data}")]
        public static partial void Event(ILogger logger, string vmUuid, string @event, string data);

        [LoggerMessage(3014, LogLevel.Information, "VM {VmUuid}: clean shutdown not acknowledged within {TimeoutSeconds} s, shutting down hard")]
        public static partial void CleanShutdownTimedOut(ILogger logger, string vmUuid, double timeoutSeconds);

        [LoggerMessage(3015, LogLevel.Warning, "VM {VmUuid}: QEMU pid {Pid} did not exit, killing it")]
        public static partial void Killing(ILogger logger, string vmUuid, int pid);

        [LoggerMessage(3016, LogLevel.Information, "VM {VmUuid} adopted: QEMU pid {Pid}, status {Status}")]
        public static partial void Adopted(ILogger logger, string vmUuid, int pid, string status);

        [LoggerMessage(3017, LogLevel.Information, "VM {VmUuid} not adopted: {Reason}")]
        public static partial void NotAdopted(ILogger logger, string vmUuid, string reason);

        [LoggerMessage(3018, LogLevel.Warning, "VM {VmUuid}: a GuestStopped handler failed")]
        public static partial void HandlerFailed(ILogger logger, string vmUuid, Exception exception);

        [LoggerMessage(3019, LogLevel.Warning, "VM {VmUuid}: NIC {Index} is on bridge {Bridge}, but the agent may not create bridges and TAPs (needs CAP_NET_ADMIN and /dev/net/tun); using QEMU user networking")]
        public static partial void UserNetworkingFallback(ILogger logger, string vmUuid, int index, string bridge);

        [LoggerMessage(3020, LogLevel.Warning, "VM {VmUuid}: cleanup failed")]
        public static partial void CleanupFailed(ILogger logger, string vmUuid, Exception exception);

        [LoggerMessage(3021, LogLevel.Warning, "VM {VmUuid}: setting the balloon target failed: {Message}")]
        public static partial void BalloonFailed(ILogger logger, string vmUuid, string message);
    }
}
