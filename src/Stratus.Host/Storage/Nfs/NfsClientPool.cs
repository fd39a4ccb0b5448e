using System.Collections.Concurrent;

namespace Stratus.Host.Storage.Nfs;

/// <summary>
/// Mounted libnfs contexts kept for reuse, per (server, export). A mount costs four TCP connections (portmapper twice,
/// mountd, nfsd) and, for root, each binds one of the ~400 reserved ports 512–1023 that then sit in TIME_WAIT for a
/// minute: mounting per operation would run out of them under load. A context is handed back only after a session
/// that raised no transport error, and one idle for longer than <see cref="IdleLimit"/> is closed instead of reused.
/// </summary>
internal sealed class NfsClientPool(TimeProvider timeProvider) : IDisposable
{
    private const int MaxIdlePerExport = 4;
    private static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<(string Server, string Export), ConcurrentQueue<(NfsClient Client, long ReturnedAt)>> _idle = new();
    private bool _disposed;

    public async Task<NfsClient> RentAsync(string server, string export, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_idle.TryGetValue((server, export), out var queue))
        {
            while (queue.TryDequeue(out var idle))
            {
                if (timeProvider.GetElapsedTime(idle.ReturnedAt) < IdleLimit)
                {
                    return idle.Client;
                }

                idle.Client.Dispose();
            }
        }

        return await NfsFileStore.MountAsync(server, export, timeout, cancellationToken);
    }

    public void Return(NfsClient client, bool healthy)
    {
        var queue = _idle.GetOrAdd((client.Server, client.Export), static _ => new ConcurrentQueue<(NfsClient, long)>());
        if (!healthy || client.Broken || _disposed || queue.Count >= MaxIdlePerExport)
        {
            client.Dispose();
            return;
        }

        queue.Enqueue((client, timeProvider.GetTimestamp()));
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var queue in _idle.Values)
        {
            while (queue.TryDequeue(out var idle))
            {
                idle.Client.Dispose();
            }
        }
    }
}
