namespace Stratus.Host.Tests.Support.ConfigDrive;

/// <summary>The two file systems Nova writes config drives in (nova.conf [DEFAULT] config_drive_format).</summary>
internal enum ConfigDriveFormat
{
    Iso9660,
    Vfat,
}
