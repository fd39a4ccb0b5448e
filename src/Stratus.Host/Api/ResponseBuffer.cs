using System.Buffers;

namespace Stratus.Host.Api;

/// <summary>
/// Where a reply is serialised before it goes out with its Content-Length: a chain of pooled segments, so a large
/// reply (VM.get_all_records with 1,000 VMs is 7 MiB of XML-RPC) never grows-and-copies one array, allocates
/// nothing on the large-object heap, and leaves no garbage behind. Small replies fit the first segment.
/// </summary>
internal sealed class ResponseBuffer : IBufferWriter<byte>, IDisposable
{
    private const int FirstSegment = 4096;
    private const int Segment = 64 * 1024;

    private readonly List<(byte[] Array, int Used)> _full = [];
    private byte[] _current = ArrayPool<byte>.Shared.Rent(FirstSegment);
    private int _used;

    public long Length
    {
        get
        {
            long total = _used;
            foreach (var (_, used) in _full)
            {
                total += used;
            }

            return total;
        }
    }

    public void Advance(int count) => _used += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _current.AsMemory(_used);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _current.AsSpan(_used);
    }

    /// <summary>Writes the whole reply to <paramref name="output"/>, a segment at a time.</summary>
    public async Task CopyToAsync(System.IO.Pipelines.PipeWriter output, CancellationToken cancellationToken)
    {
        foreach (var (array, used) in _full)
        {
            await output.WriteAsync(array.AsMemory(0, used), cancellationToken);
        }

        await output.WriteAsync(_current.AsMemory(0, _used), cancellationToken);
    }

    public void Dispose()
    {
        foreach (var (array, _) in _full)
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        _full.Clear();
        ArrayPool<byte>.Shared.Return(_current);
        _current = [];
        _used = 0;
    }

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_current.Length - _used >= needed)
        {
            return;
        }

        _full.Add((_current, _used));
        _current = ArrayPool<byte>.Shared.Rent(Math.Max(Segment, needed));
        _used = 0;
    }
}
