namespace Stratus.Host.Backends;

/// <summary>
/// One attached disk. <see cref="Path"/> is what QEMU opens: a file, an <c>nfs://</c> URL (libnfs) or a block device;
/// null for an empty CD drive.
/// </summary>
internal sealed record DiskSpec(int Index, string? Path, string Format, bool ReadOnly, bool IsCdrom, bool Bootable);
