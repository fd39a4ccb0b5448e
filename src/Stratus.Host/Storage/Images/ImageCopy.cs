using System.Buffers;

namespace Stratus.Host.Storage.Images;

/// <summary>
/// Streams an image between a client and storage in 1 MiB chunks from a pooled buffer: memory stays flat whatever
/// the image size.
/// </summary>
internal static class ImageCopy
{
    public const int ChunkSize = 1 << 20;

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="target"/> until the source ends. With
    /// <paramref name="skipZeros"/> all-zero chunks become holes (the target must be a fresh regular file), so a sparse
    /// disk stays sparse. More than <paramref name="limit"/> bytes stops the copy with the exception
    /// <paramref name="tooLarge"/> builds. A failing source surfaces as <see cref="SourceStreamException"/>.
    /// Returns the byte count.
    /// </summary>
    public static async Task<long> CopyInAsync(
        Stream source,
        Stream target,
        long limit,
        bool skipZeros,
        Func<long, Exception> tooLarge,
        IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        long total = 0;
        var pendingHole = false;
        try
        {
            while (true)
            {
                var filled = await FillAsync(source, buffer, total, cancellationToken);
                if (filled == 0)
                {
                    break;
                }

                if (total + filled > limit)
                {
                    throw tooLarge(total + filled);
                }

                var chunk = buffer.AsMemory(0, filled);
                if (skipZeros && !chunk.Span.ContainsAnyExcept((byte)0))
                {
                    target.Seek(filled, SeekOrigin.Current);
                    pendingHole = true;
                }
                else
                {
                    await target.WriteAsync(chunk, cancellationToken);
                    pendingHole = false;
                }

                total += filled;
                progress?.Report(total);
                if (filled < ChunkSize)
                {
                    break;
                }
            }

            if (pendingHole)
            {
                // A trailing hole: the length must still say where the image ends.
                target.SetLength(total);
            }

            await target.FlushAsync(cancellationToken);
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Copies <paramref name="count"/> bytes (or until the source ends when null) from storage to a client.</summary>
    public static async Task<long> CopyOutAsync(Stream source, Stream target, long? count, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        long total = 0;
        try
        {
            while (count is null || total < count)
            {
                var want = count is null ? ChunkSize : (int)Math.Min(ChunkSize, count.Value - total);
                var read = await source.ReadAsync(buffer.AsMemory(0, want), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                total += read;
            }

            await target.FlushAsync(cancellationToken);
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads until the chunk is full or the source ends, so chunks stay aligned for hole detection.</summary>
    private static async Task<int> FillAsync(Stream source, byte[] buffer, long totalSoFar, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < ChunkSize)
        {
            int read;
            try
            {
                read = await source.ReadAsync(buffer.AsMemory(filled, ChunkSize - filled), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception exception)
            {
                throw new SourceStreamException(totalSoFar + filled, exception);
            }

            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }
}
