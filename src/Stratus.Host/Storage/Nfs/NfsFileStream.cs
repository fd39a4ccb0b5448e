namespace Stratus.Host.Storage.Nfs;

/// <summary>
/// A seekable stream over a file opened through libnfs. Reads and writes are split into the server's negotiated
/// maximum; the async overloads run the blocking libnfs calls on the thread pool. Flush is an NFS COMMIT (fsync).
/// </summary>
internal sealed class NfsFileStream(NfsClient client, nint handle, long length, bool writable) : Stream
{
    private long _position;
    private long _length = length;
    private bool _closed;

    public override bool CanRead => !_closed;

    public override bool CanSeek => !_closed;

    public override bool CanWrite => writable && !_closed;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length && _position < _length)
        {
            var want = (int)Math.Min(Math.Min(buffer.Length - total, client.ReadMax), _length - _position);
            var read = client.Read(handle, _position, buffer.Slice(total, want));
            if (read == 0)
            {
                break;
            }

            total += read;
            _position += read;
        }

        return total;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(Task.Run(() => Read(buffer.Span), cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        EnsureWritable();
        while (!buffer.IsEmpty)
        {
            var written = client.Write(handle, _position, buffer[..Math.Min(buffer.Length, client.WriteMax)]);
            if (written <= 0)
            {
                throw new NfsException($"nfs write on {client.Server}:{client.Export} made no progress", 5);
            }

            buffer = buffer[written..];
            _position += written;
            _length = Math.Max(_length, _position);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(Task.Run(() => Write(buffer.Span), cancellationToken));

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void SetLength(long value)
    {
        EnsureWritable();
        client.Truncate(handle, value);
        _length = value;
    }

    public override void Flush()
    {
        if (CanWrite)
        {
            client.Sync(handle);
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.Run(Flush, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (!_closed)
        {
            _closed = true;
            client.Close(handle);
        }

        base.Dispose(disposing);
    }

    private void EnsureWritable()
    {
        if (!CanWrite)
        {
            throw new NotSupportedException("the NFS file was opened read-only");
        }
    }
}
