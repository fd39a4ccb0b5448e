namespace Stratus.Host.Storage;

/// <summary>How QEMU reaches a VDI: <see cref="Path"/> (file, nfs:// URL or block device) and its format (qcow2, raw).</summary>
internal sealed record DiskLocator(string Path, string Format);
