namespace Stratus.Host.Backends;

/// <summary>
/// How the VM boots: direct kernel boot for PV-style VMs (VM.PV_kernel/PV_ramdisk/PV_args), otherwise from disk
/// in <see cref="Order"/> (VM.HVM_boot_params order: c = disk, d = cdrom, n = network).
/// </summary>
internal sealed record BootSpec(string? Kernel, string? Ramdisk, string? Args, string Order);
