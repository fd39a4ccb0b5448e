namespace Stratus.Host.Tests.Support;

/// <summary>
/// A client that disconnects: yields the first <c>cutAfter</c> bytes of an image, then fails the way Kestrel fails a
/// request body that ends before its Content-Length ("Unexpected end of request content", an IOException).
/// </summary>
internal sealed class CutOffStream(byte[] data, int cutAfter) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_position >= cutAfter)
        {
            throw new IOException("Unexpected end of request content.");
        }

        var n = Math.Min(Math.Min(count, cutAfter - _position), 64 * 1024);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
