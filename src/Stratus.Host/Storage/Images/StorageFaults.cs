using Stratus.Host.Processes;

namespace Stratus.Host.Storage.Images;

/// <summary>Recognises "the storage is full" however it surfaces: an errno from a write, or qemu-img's own words.</summary>
internal static class StorageFaults
{
    private const int Enospc = 28;
    private const int Edquot = 122;

    public static bool IsNoSpace(Exception exception) => exception switch
    {
        SourceStreamException => false,
        CommandFailedException failed => failed.Detail.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
            || failed.Detail.Contains("Disk quota exceeded", StringComparison.OrdinalIgnoreCase)
            || failed.Detail.Contains("Insufficient free space", StringComparison.OrdinalIgnoreCase),
        IOException io => io.HResult is Enospc or Edquot || io.HResult == unchecked((int)0x80070070)
            || io.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase),
        _ => exception.InnerException is not null && IsNoSpace(exception.InnerException),
    };
}
