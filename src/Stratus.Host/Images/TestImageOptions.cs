namespace Stratus.Host.Images;

/// <summary>What <see cref="TestImageBuilder"/> builds and from what (kernel and busybox found on the host when null).</summary>
internal sealed record TestImageOptions(string OutputDirectory)
{
    public TestImageDisks Disks { get; init; } = TestImageDisks.All;

    public string? KernelPath { get; init; }

    public string? BusyboxPath { get; init; }

    /// <summary>Size of the FAT boot disk; grown when kernel and initramfs would not fit.</summary>
    public int DiskSizeMiB { get; init; } = 64;
}
