namespace Stratus.Host.Images;

/// <summary>
/// A built test image: a kernel and initramfs for direct kernel boot (VM.PV_kernel/PV_ramdisk, with
/// <see cref="KernelArgs"/> as PV_args), and FAT boot disks with syslinux that boot the same pair.
/// <see cref="PvhKernelPath"/> is the same kernel unpacked (vmlinux with a PVH note), when the kernel allows it:
/// as PV_kernel it boots more than twice as fast under TCG (see <see cref="KernelUnpacker"/>).
/// <see cref="Reused"/> is true when the directory was already up to date.
/// </summary>
internal sealed record TestImage(
    string Directory,
    string KernelPath,
    string? PvhKernelPath,
    string InitrdPath,
    string? RawDiskPath,
    string? Qcow2DiskPath,
    string KernelVersion,
    string KernelArgs,
    bool Reused)
{
    /// <summary>The serial console is ttyS0; quiet keeps the kernel from printing its whole boot through an emulated UART.</summary>
    public const string DefaultKernelArgs = "console=ttyS0 quiet";
}
