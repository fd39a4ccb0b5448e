using System.Buffers;
using System.Security.Cryptography;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Image.Data;

/// <summary>
/// Image bytes as files under <c>DataDirectory/images</c>, one per image, named by its id. Data arrives in a
/// <c>.part</c> file (hashed and counted as it streams, never buffered whole) and is renamed into place only when
/// complete and flushed to disk, so a cut-off upload never leaves a partial image behind.
/// </summary>
internal sealed class ImageDataStore(CloudOptions options)
{
    /// <summary>glance's image_size_cap default: 1 TiB.</summary>
    public const long SizeCap = 1L << 40;

    private const int BufferSize = 1 << 20;

    private const string PartSuffix = ".part";

    public string Root { get; } = Path.Combine(options.DataDirectory, "images");

    /// <summary>Streams <paramref name="body"/> into a temporary file, computing md5, sha512, size and the first bytes.</summary>
    public async Task<ReceivedImageData> ReceiveAsync(string imageId, Stream body, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Root);
        var tempPath = Path.Combine(Root, $"{imageId}.{Guid.NewGuid():N}{PartSuffix}");
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            // md5 is what glance's "checksum" field is defined as; sha512 is the secure os_hash_value.
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
            var header = new byte[512];
            var headerLength = 0;
            long size = 0;
            await using (var file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    size += read;
                    if (size > SizeCap)
                    {
                        throw new ApiException(413, $"Image exceeds the storage quota: the size cap is {SizeCap} bytes.");
                    }

                    if (headerLength < header.Length)
                    {
                        var take = Math.Min(read, header.Length - headerLength);
                        buffer.AsSpan(0, take).CopyTo(header.AsSpan(headerLength));
                        headerLength += take;
                    }

                    md5.AppendData(buffer, 0, read);
                    sha512.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            return new ReceivedImageData(
                tempPath,
                size,
                Convert.ToHexStringLower(md5.GetHashAndReset()),
                Convert.ToHexStringLower(sha512.GetHashAndReset()),
                header[..headerLength]);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Moves received data into place as the image's file.</summary>
    public void Commit(ReceivedImageData data, string imageId) => File.Move(data.TempPath, PathOf(imageId), overwrite: true);

    public void Discard(ReceivedImageData data) => TryDelete(data.TempPath);

    public bool Exists(string imageId) => File.Exists(PathOf(imageId));

    /// <summary>Opens the image's file for streaming, or null when it has none.</summary>
    public FileStream? OpenRead(string imageId)
    {
        try
        {
            return new FileStream(PathOf(imageId), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Removes the image's file. An upload still streaming keeps its temporary file: it finds the image gone when
    /// it finishes and removes its data itself.
    /// </summary>
    public void Delete(string imageId) => TryDelete(PathOf(imageId));

    /// <summary>Removes temporary files of uploads that never finished; only at start, when none can be streaming.</summary>
    public int DeleteAllParts()
    {
        if (!Directory.Exists(Root))
        {
            return 0;
        }

        var count = 0;
        foreach (var part in Directory.EnumerateFiles(Root, $"*{PartSuffix}"))
        {
            TryDelete(part);
            count++;
        }

        return count;
    }

    private string PathOf(string imageId) =>
        Guid.TryParse(imageId, out var id) ? Path.Combine(Root, id.ToString("D")) : throw new ArgumentException($"'{imageId}' is not an image id", nameof(imageId));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Still open (a download in progress on another platform); the next delete or recovery retries.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
