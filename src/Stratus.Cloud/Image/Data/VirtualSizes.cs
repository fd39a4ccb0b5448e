namespace Stratus.Cloud.Image.Data;

/// <summary>
/// An image's <c>virtual_size</c> from its data: for qcow2 what the header declares, for raw the data's size. Other
/// formats (and qcow2-labelled data without a qcow2 header, which Tempest uploads as random bytes) leave it null.
/// </summary>
internal static class VirtualSizes
{
    public static long? Of(string? diskFormat, ReadOnlySpan<byte> header, long size) => diskFormat switch
    {
        "qcow2" => Qcow2Header.TryReadVirtualSize(header, out var virtualSize) ? virtualSize : null,
        "raw" => size,
        _ => null,
    };
}
