using System.Globalization;
using System.Text.Json;
using Stratus.Host.Processes;

namespace Stratus.Host.Tests.Support.ConfigDrive;

/// <summary>
/// Writes an OpenStack config drive: a file system labelled <c>config-2</c> holding openstack/latest/meta_data.json,
/// network_data.json and user_data, as an ISO 9660 image (genisoimage, Rock Ridge + Joliet) or a FAT image
/// (mkfs.vfat -C and mtools, no mount needed). Attach it as a CD-ROM or a disk; the test image finds it by label.
/// </summary>
internal static class ConfigDriveBuilder
{
    public const string Label = "config-2";

    public static async Task CreateAsync(string path, ConfigDriveContent content, ConfigDriveFormat format, CancellationToken cancellationToken)
    {
        var staging = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".config-drive-{Guid.NewGuid():N}");
        var latest = Path.Combine(staging, "openstack", "latest");
        Directory.CreateDirectory(latest);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(latest, "meta_data.json"), JsonSerializer.Serialize(content.MetaData), cancellationToken);
            if (content.NetworkData is not null)
                await File.WriteAllTextAsync(Path.Combine(latest, "network_data.json"), content.NetworkData, cancellationToken);
            if (content.UserData is not null)
                await File.WriteAllTextAsync(Path.Combine(latest, "user_data"), content.UserData, cancellationToken);

            File.Delete(path);
            if (format == ConfigDriveFormat.Iso9660)
            {
                var genisoimage = ExternalCommand.Find("genisoimage") ?? ExternalCommand.Find("mkisofs")
                    ?? throw new FileNotFoundException("genisoimage not found; install it: apt-get install genisoimage");
                await ExternalCommand.RunCheckedAsync(genisoimage, ["-o", path, "-V", Label, "-r", "-J", "-quiet", staging], cancellationToken);
                return;
            }

            var mkfs = ExternalCommand.Find("mkfs.vfat") ?? throw new FileNotFoundException("mkfs.vfat not found; install it: apt-get install dosfstools");
            var mmd = ExternalCommand.Find("mmd") ?? throw new FileNotFoundException("mmd not found; install it: apt-get install mtools");
            var mcopy = ExternalCommand.Find("mcopy") ?? throw new FileNotFoundException("mcopy not found; install it: apt-get install mtools");
            var bytes = Directory.GetFiles(latest).Sum(f => new FileInfo(f).Length);
            var kib = Math.Max(2048, (bytes / 1024) * 2 + 1024);
            // mkfs.vfat warns that lowercase labels may not work everywhere; Nova writes "config-2" all the same.
            await ExternalCommand.RunCheckedAsync(mkfs, ["-n", Label, "-C", path, kib.ToString(CultureInfo.InvariantCulture)], cancellationToken);
            await ExternalCommand.RunCheckedAsync(mmd, ["-i", path, "::openstack", "::openstack/latest"], cancellationToken);
            foreach (var file in Directory.GetFiles(latest))
                await ExternalCommand.RunCheckedAsync(mcopy, ["-i", path, file, $"::openstack/latest/{Path.GetFileName(file)}"], cancellationToken);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
