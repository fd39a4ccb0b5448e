using System.Globalization;
using Stratus.Host.Processes;

namespace Stratus.Host.Images;

/// <summary>
/// A BIOS-bootable disk without partitions, loop devices or mounts: <c>mkfs.vfat -C</c> makes the FAT file system in
/// a plain file, <c>syslinux --install</c> (the mtools installer) writes its boot sector and ldlinux.sys, and
/// <c>mcopy</c> puts the kernel, initramfs and syslinux.cfg in. SeaBIOS boots it as a hard disk.
/// </summary>
internal static class FatBootDisk
{
    public static async Task CreateAsync(string diskPath, string kernelPath, string initrdPath, string kernelArgs, int sizeMiB, CancellationToken cancellationToken)
    {
        var mkfs = Require("mkfs.vfat", "dosfstools");
        var syslinux = Require("syslinux", "syslinux");
        var mcopy = Require("mcopy", "mtools");

        var needed = (new FileInfo(kernelPath).Length + new FileInfo(initrdPath).Length) / (1024 * 1024) + 4;
        var size = Math.Max(sizeMiB, needed);
        File.Delete(diskPath);
        // --invariant: fixed volume id and timestamps, so equal inputs make equal file systems.
        await ExternalCommand.RunCheckedAsync(mkfs, ["--invariant", "-n", "STRATUS", "-C", diskPath, (size * 1024).ToString(CultureInfo.InvariantCulture)], cancellationToken);
        await ExternalCommand.RunCheckedAsync(syslinux, ["--install", diskPath], cancellationToken);

        var config = Path.Combine(Path.GetDirectoryName(diskPath)!, "syslinux.cfg");
        await File.WriteAllTextAsync(config,
            $"""
            SERIAL 0 115200
            DEFAULT stratus
            PROMPT 0
            TIMEOUT 0
            LABEL stratus
              LINUX /vmlinuz
              INITRD /initrd.img
              APPEND {kernelArgs}

            """,
            cancellationToken);
        try
        {
            // mcopy: -i image, -o overwrite, -m keep the source modification times.
            await ExternalCommand.RunCheckedAsync(mcopy, ["-i", diskPath, "-o", "-m", kernelPath, "::/vmlinuz"], cancellationToken);
            await ExternalCommand.RunCheckedAsync(mcopy, ["-i", diskPath, "-o", "-m", initrdPath, "::/initrd.img"], cancellationToken);
            await ExternalCommand.RunCheckedAsync(mcopy, ["-i", diskPath, "-o", config, "::/syslinux.cfg"], cancellationToken);
        }
        finally
        {
            File.Delete(config);
        }
    }

    private static string Require(string tool, string package) =>
        ExternalCommand.Find(tool) ?? throw new FileNotFoundException($"{tool} not found; install it: apt-get install {package}");
}
