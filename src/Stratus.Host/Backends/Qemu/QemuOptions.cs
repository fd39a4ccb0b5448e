namespace Stratus.Host.Backends.Qemu;

/// <summary>
/// Settings of the qemu backend (configuration section <c>Stratus:Qemu</c>). Only <see cref="DataDirectory"/> is required.
/// </summary>
internal sealed class QemuOptions
{
    /// <summary>The agent's data directory; each VM gets &lt;DataDirectory&gt;/qemu/&lt;uuid&gt;/ (pid file, QMP socket, console log).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The emulator: a name looked up on PATH or an absolute path.</summary>
    public string Binary { get; init; } = "qemu-system-x86_64";

    /// <summary><c>auto</c> (probe KVM with a real, time-limited boot, else TCG), <c>kvm</c> or <c>tcg</c>.</summary>
    public string Accelerator { get; init; } = "auto";

    /// <summary>How long the KVM probe boot may take before KVM counts as broken (nested KVM hangs instead of failing).</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Guest kernel for the probe boot (default: newest /boot/vmlinuz-*); busybox-static gives its init.</summary>
    public string? ProbeKernel { get; init; }

    /// <summary>The QEMU machine type. <c>pc</c> (i440fx + PIIX IDE for CD-ROMs) boots fastest with SeaBIOS.</summary>
    public string Machine { get; init; } = "pc";

    /// <summary>
    /// Run QEMU, bridges and TAPs inside this network namespace (<c>ip netns</c>), keeping VM networks off the host's
    /// own; null for the agent's namespace.
    /// </summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>Bound on QEMU's own start (it returns once daemonized) and on the first QMP exchange.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After <c>quit</c> or a vanished monitor: how long QEMU may take to exit before it is killed.</summary>
    public TimeSpan ExitTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting to fix.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
            throw new ArgumentException("Stratus:Qemu:DataDirectory must be set");
        if (Accelerator is not ("auto" or "kvm" or "tcg"))
            throw new ArgumentException($"Stratus:Qemu:Accelerator must be auto, kvm or tcg, not '{Accelerator}'");
        if (ProbeTimeout <= TimeSpan.Zero || StartTimeout <= TimeSpan.Zero || ExitTimeout <= TimeSpan.Zero)
            throw new ArgumentException("Stratus:Qemu timeouts must be positive");
        // sun_path holds 108 bytes including the NUL: <dir>/qemu/<36-char uuid>/qmp.sock must fit.
        var longest = QemuVmPaths.For(this, "00000000-0000-0000-0000-000000000000").QmpSocket;
        if (System.Text.Encoding.UTF8.GetByteCount(longest) > 107)
            throw new ArgumentException($"Stratus:Qemu:DataDirectory {DataDirectory} is too long for QMP unix sockets ({longest} exceeds 107 bytes)");
    }
}
