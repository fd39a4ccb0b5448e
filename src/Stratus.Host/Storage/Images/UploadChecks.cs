using Stratus.Host.Processes;
using Stratus.XenApi;

namespace Stratus.Host.Storage.Images;

/// <summary>
/// What an uploaded image must pass before a byte of it reaches a VDI. Raw has no structure (its length was bounded
/// while it streamed in); VHD and qcow2 are opened by qemu-img with the format named and under resource limits. A
/// qcow2 image must be self-contained: a backing file or an external data file in an upload would make qemu-img read
/// a host file (say /etc/shadow) into the VDI. qemu-img check catches a truncated qcow2, which qemu-img convert alone
/// would read past its end as zeros and accept.
/// </summary>
internal static class UploadChecks
{
    /// <summary>Returns the image's virtual size, or throws the XenAPI failure that says why it cannot be imported.</summary>
    public static async Task<long> ValidateAsync(
        QemuImg qemuImg,
        string image,
        ImageFormat format,
        long received,
        long vdiVirtualSize,
        string location,
        CancellationToken cancellationToken)
    {
        if (format == ImageFormat.Raw)
        {
            return received;
        }

        ImageInfo info;
        try
        {
            info = await qemuImg.InfoAsync(image, format.QemuName(), shared: false, untrusted: true, cancellationToken);
        }
        catch (CommandFailedException failed)
        {
            throw Invalid(format, failed.Detail);
        }

        if (info.BackingFile is not null)
        {
            throw new XenApiFailure(XenErrors.ImportErrorGeneric, $"the qcow2 image refers to a backing file ({info.BackingFile}); upload a self-contained image");
        }

        if (info.DataFile is not null)
        {
            throw new XenApiFailure(XenErrors.ImportErrorGeneric, $"the qcow2 image refers to an external data file ({info.DataFile}); upload a self-contained image");
        }

        if (info.VirtualSize > vdiVirtualSize)
        {
            throw new XenApiFailure(XenErrors.VdiTooSmall, location, info.VirtualSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (format == ImageFormat.Qcow2)
        {
            var check = await qemuImg.CheckAsync(image, format.QemuName(), cancellationToken);
            if (!check.Consistent)
            {
                if (check.ImageEndOffset > received)
                {
                    throw new XenApiFailure(XenErrors.ImportErrorPrematureEof);
                }

                throw new XenApiFailure(XenErrors.ImportErrorGeneric, check.Corruptions > 0
                    ? $"the qcow2 image is corrupt ({check.Corruptions} corruptions)"
                    : $"the qcow2 image could not be checked: {check.Detail}");
            }
        }

        return info.VirtualSize;
    }

    private static XenApiFailure Invalid(ImageFormat format, string detail) =>
        detail.Contains("truncated", StringComparison.OrdinalIgnoreCase)
            ? new XenApiFailure(XenErrors.ImportErrorPrematureEof)
            : new XenApiFailure(XenErrors.ImportErrorGeneric, $"not a valid {format.ToString().ToLowerInvariant()} image: {detail}");
}
