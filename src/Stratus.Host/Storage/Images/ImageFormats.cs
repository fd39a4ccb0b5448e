namespace Stratus.Host.Storage.Images;

/// <summary>How QEMU names the transfer formats, and the file suffix a temporary copy gets.</summary>
internal static class ImageFormats
{
    /// <summary>QEMU's driver name: VHD is QEMU's <c>vpc</c> driver (Microsoft Virtual PC / Hyper-V VHD).</summary>
    public static string QemuName(this ImageFormat format) => format switch
    {
        ImageFormat.Raw => "raw",
        ImageFormat.Vhd => "vpc",
        ImageFormat.Qcow2 => "qcow2",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static string Suffix(this ImageFormat format) => format switch
    {
        ImageFormat.Raw => ".raw",
        ImageFormat.Vhd => ".vhd",
        ImageFormat.Qcow2 => ".qcow2",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>
    /// qemu-img create options for an exported image. VHD: dynamic (sparse) with <c>force_size</c>, so the virtual size
    /// is the VDI's exactly instead of QEMU's CHS-geometry rounding, and an import of the export gives the same disk.
    /// </summary>
    public static IReadOnlyList<string> ExportOptions(this ImageFormat format) => format switch
    {
        ImageFormat.Vhd => ["-o", "subformat=dynamic,force_size=on"],
        _ => [],
    };
}
