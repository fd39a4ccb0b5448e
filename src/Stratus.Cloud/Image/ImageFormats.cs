namespace Stratus.Cloud.Image;

/// <summary>The disk and container formats glance accepts by default (glance image_format options; contract §5).</summary>
internal static class ImageFormats
{
    public static readonly IReadOnlyList<string> Disk = ["ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop"];

    public static readonly IReadOnlyList<string> Container = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"];

    public static readonly IReadOnlyList<string> Visibilities = ["community", "public", "private", "shared"];
}
