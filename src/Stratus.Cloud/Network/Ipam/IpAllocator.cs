namespace Stratus.Cloud.Network.Ipam;

/// <summary>
/// First-free allocation: the lowest pool address not yet taken. The database's unique key on
/// (subnet, address) is what makes it safe under concurrency; this only proposes a candidate.
/// </summary>
internal static class IpAllocator
{
    public static UInt128? FirstFree(IReadOnlyList<IpRange> pools, IReadOnlySet<UInt128> taken)
    {
        foreach (var pool in pools)
        {
            // Probing in order costs at most one lookup per taken address before the first gap.
            var candidate = pool.Start;
            while (true)
            {
                if (!taken.Contains(candidate))
                {
                    return candidate;
                }

                if (candidate == pool.End)
                {
                    break;
                }

                candidate++;
            }
        }

        return null;
    }

    /// <summary>How many pool addresses are still free (for quotas and error messages).</summary>
    public static UInt128 FreeCount(IReadOnlyList<IpRange> pools, IReadOnlySet<UInt128> taken)
    {
        UInt128 total = 0;
        foreach (var pool in pools)
        {
            total += pool.End - pool.Start + 1;
        }

        var used = (UInt128)taken.Count(t => pools.Any(p => p.Contains(t)));
        return total - used;
    }
}
