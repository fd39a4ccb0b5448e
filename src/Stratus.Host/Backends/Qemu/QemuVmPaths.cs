namespace Stratus.Host.Backends.Qemu;

/// <summary>
/// The files of one VM under &lt;data&gt;/qemu/&lt;uuid&gt;/: QEMU's pid file and QMP socket (what an agent restart
/// re-adopts by), the VNC socket (the agent's <c>CONNECT /console</c> relays it), the serial console log, and
/// state.json (what the agent created for it, such as TAP devices).
/// </summary>
internal sealed record QemuVmPaths(string Directory, string PidFile, string QmpSocket, string VncSocket, string ConsoleLog, string StateFile)
{
    public static QemuVmPaths For(QemuOptions options, string vmUuid)
    {
        var dir = Path.Combine(Path.GetFullPath(options.DataDirectory), "qemu", vmUuid);
        return new QemuVmPaths(dir, Path.Combine(dir, "qemu.pid"), Path.Combine(dir, "qmp.sock"), Path.Combine(dir, "vnc.sock"), Path.Combine(dir, "console.log"), Path.Combine(dir, "state.json"));
    }
}
