namespace Stratus.Host.Backends;

/// <summary>
/// What runs a VM: the <c>sim</c> backend (bookkeeping with simulated delays, for scale) or <c>qemu</c> (real VMs).
/// The XenAPI layer validates, records state in the object database and calls the backend outside any database
/// transaction. A backend is addressed by VM uuid; it never touches the database itself.
/// </summary>
internal interface IVmBackend : IAsyncDisposable
{
    /// <summary><c>sim</c> or <c>qemu</c>; shown in the host record.</summary>
    string Name { get; }

    /// <summary>The accelerator in use (<c>kvm</c>, <c>tcg</c>, or <c>none</c> for sim); shown in the host record.</summary>
    string Accelerator { get; }

    /// <summary>Whether disks and NICs can be plugged into a running VM (VBD.plug, VIF.plug).</summary>
    bool SupportsHotplug { get; }

    /// <summary>Raised when a VM stops without being asked (the guest powered off, QEMU died). Argument: VM uuid.</summary>
    event Action<string>? GuestStopped;

    /// <summary>Starts a VM (Halted → Running, or Paused when <see cref="VmLaunchSpec.StartPaused"/>).</summary>
    Task<VmRuntimeInfo> StartAsync(VmLaunchSpec spec, CancellationToken cancellationToken);

    /// <summary>Stops a VM. Clean asks the guest (ACPI power button) and falls back to hard after <paramref name="cleanTimeout"/>.</summary>
    Task ShutdownAsync(string vmUuid, bool clean, TimeSpan cleanTimeout, CancellationToken cancellationToken);

    /// <summary>Reboots a VM (clean: the guest's own reboot where possible; hard: a reset).</summary>
    Task RebootAsync(string vmUuid, bool clean, CancellationToken cancellationToken);

    Task PauseAsync(string vmUuid, CancellationToken cancellationToken);

    Task UnpauseAsync(string vmUuid, CancellationToken cancellationToken);

    /// <summary>Sets the balloon target (VM.memory_dynamic_max on a running VM).</summary>
    Task SetMemoryTargetAsync(string vmUuid, long bytes, CancellationToken cancellationToken);

    /// <summary>
    /// After an agent restart: takes back the VMs the database believes are running. Returns those still alive with
    /// their runtime details; the rest are to be marked Halted.
    /// </summary>
    Task<IReadOnlyDictionary<string, VmRuntimeInfo>> AdoptAsync(IReadOnlyCollection<string> vmUuids, CancellationToken cancellationToken);

    /// <summary>The last <paramref name="lines"/> lines of the VM's serial console log (all when null); empty if none.</summary>
    Task<string> ReadConsoleAsync(string vmUuid, int? lines, CancellationToken cancellationToken);
}
