namespace Stratus.Host.Backends;

/// <summary>Everything a backend needs to start one VM, resolved from its VM, VBD, VDI, VIF and network records.</summary>
internal sealed record VmLaunchSpec(
    string Uuid,
    string Name,
    int Vcpus,
    long MemoryBytes,
    long MemoryTargetBytes,
    IReadOnlyList<DiskSpec> Disks,
    IReadOnlyList<NicSpec> Nics,
    BootSpec Boot,
    bool StartPaused);
