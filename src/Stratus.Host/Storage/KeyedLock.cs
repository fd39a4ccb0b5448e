using System.Collections.Concurrent;

namespace Stratus.Host.Storage;

/// <summary>
/// One async mutex per key (an SR uuid): a driver serialises the operations that rewire an SR's files or volumes
/// (create, clone, destroy) so that two clones of one VDI, or a clone racing the destruction of its base copy, cannot
/// interleave. Long transfers (import, export) do not take it. The lock is per agent process: two hosts sharing an NFS
/// SR must leave such operations to one of them, as xapi leaves them to the pool master.
/// </summary>
internal sealed class KeyedLock
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public async Task<IDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        var semaphore = _locks.GetOrAdd(key, static _ => new SemaphoreSlim(1, 1));
        await semaphore.WaitAsync(cancellationToken);
        return new Releaser(semaphore);
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
