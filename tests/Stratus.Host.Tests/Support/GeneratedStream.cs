namespace Stratus.Host.Tests.Support;

/// <summary>
/// A large disk image made up on the fly, never held in memory: pseudo-random MiBs with every fourth MiB zero (a
/// half-used disk has holes), the same bytes for the same seed. For transfers too big for a byte array.
/// </summary>
internal sealed class GeneratedStream(long length, int seed) : Stream
{
    private const int Block = 1 << 20;
    private readonly byte[] _block = new byte[Block];
    private long _blockIndex = -1;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length && _position < length)
        {
            var index = _position / Block;
            if (index != _blockIndex)
            {
                Fill(index);
            }

            var within = (int)(_position % Block);
            var n = (int)Math.Min(Math.Min(buffer.Length - total, Block - within), length - _position);
            _block.AsSpan(within, n).CopyTo(buffer[total..]);
            total += n;
            _position += n;
        }

        return total;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Fill(long index)
    {
        _blockIndex = index;
        if (index % 4 == 3)
        {
            Array.Clear(_block);
            return;
        }

        new Random(HashCode.Combine(seed, index)).NextBytes(_block);
    }
}
