using System.Net;

namespace Stratus.Cloud.Tests.Support;

/// <summary>
/// A request body for upload tests: sends <paramref name="prefix"/>, then waits for <see cref="Release"/>, and
/// then either sends the rest or, when told to cut, throws so the client aborts the request mid-body (the
/// declared Content-Length is never reached, as when a client dies during an upload).
/// </summary>
internal sealed class ControlledContent(byte[] prefix, byte[] rest) : HttpContent
{
    private readonly TaskCompletionSource<bool> _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _prefixSent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task PrefixSent => _prefixSent.Task;

    /// <summary>Lets the body finish (<paramref name="cut"/>: abort instead of sending the rest).</summary>
    public void Release(bool cut) => _release.TrySetResult(cut);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(prefix);
        await stream.FlushAsync();
        _prefixSent.TrySetResult();
        if (await _release.Task)
        {
            throw new IOException("upload cut off by the test");
        }

        await stream.WriteAsync(rest);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = prefix.Length + rest.Length;
        return true;
    }
}
