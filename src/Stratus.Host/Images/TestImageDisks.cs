namespace Stratus.Host.Images;

/// <summary>Which bootable disk images to build next to the kernel and initramfs.</summary>
[Flags]
internal enum TestImageDisks
{
    None = 0,
    Raw = 1,
    Qcow2 = 2,
    All = Raw | Qcow2,
}
