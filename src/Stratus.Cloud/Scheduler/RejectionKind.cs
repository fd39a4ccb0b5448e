namespace Stratus.Cloud.Scheduler;

/// <summary>Why a filter turned a host down; the tenant-safe summary groups hosts by it.</summary>
internal enum RejectionKind
{
    None,
    Disabled,
    Down,
    AlreadyTried,
    AvailabilityZone,
    Ram,
    Disk,
    Vcpus,
    ImageProperty,
    Storage,
}
