namespace Stratus.Host.Storage.Images;

/// <summary>
/// The client's stream failed before its end (connection cut, short body, a Kestrel "unexpected end of request
/// content"): the import got fewer bytes than were sent. Kept apart from target-side I/O errors, which mean something
/// else (a full SR, a broken export).
/// </summary>
internal sealed class SourceStreamException(long bytesReceived, Exception inner)
    : IOException($"the image stream ended abnormally after {bytesReceived} bytes: {inner.Message}", inner)
{
    public long BytesReceived { get; } = bytesReceived;
}
