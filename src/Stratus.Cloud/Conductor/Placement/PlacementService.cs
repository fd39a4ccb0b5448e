using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Compute.Services;
using Stratus.Cloud.Scheduler;

namespace Stratus.Cloud.Conductor.Placement;

/// <summary>
/// The scheduler's view of every compute host (capacity from its heartbeat, state from os-services, claims from
/// the servers placed on it and the builds in flight) and the one place claims are made. Selection and claim happen
/// under one lock, so concurrent boots never overcommit a host: the second boot sees the first one's claim.
/// </summary>
internal sealed class PlacementService(CloudOptions options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, Claim> _claims = [];
    private readonly FilterScheduler _scheduler = FilterScheduler.Default(spread: options.Weigher == "spread");

    /// <summary>Adds a host or updates its os-services state.</summary>
    public void SetFlags(string host, HostFlags flags)
    {
        lock (_gate)
        {
            var entry = GetOrAdd(host);
            entry.Flags = flags;
            entry.State = null;
        }
    }

    /// <summary>What the host's latest heartbeat reported.</summary>
    public void SetFacts(string host, HypervisorFacts facts, IReadOnlyDictionary<string, string> capabilities)
    {
        lock (_gate)
        {
            var entry = GetOrAdd(host);
            entry.Facts = facts;
            entry.Capabilities = capabilities;
            entry.State = null;
        }
    }

    public void SetLastSeen(string host, DateTime? lastSeenUp)
    {
        lock (_gate)
        {
            GetOrAdd(host).LastSeenUp = lastSeenUp;
        }
    }

    public void RemoveHost(string host)
    {
        lock (_gate)
        {
            _hosts.Remove(host);
        }
    }

    /// <summary>Rebuilds the claims from the servers the database places on hosts (at start).</summary>
    public void Restore(IEnumerable<Instance> placed)
    {
        lock (_gate)
        {
            foreach (var entry in _hosts.Values)
            {
                entry.Vcpus = 0;
                entry.RamMb = 0;
                entry.DiskGb = 0;
                entry.Count = 0;
                entry.State = null;
            }

            _claims.Clear();
            foreach (var instance in placed.Where(i => !i.Deleted && i.Host is not null))
            {
                Add(Claim.Of(instance, instance.Host!));
            }
        }
    }

    /// <summary>Chooses a host for <paramref name="request"/> and claims its resources there, atomically.</summary>
    public PlacementResult SelectAndClaim(RequestSpec request)
    {
        lock (_gate)
        {
            var decision = _scheduler.Select(request, CurrentStates());
            if (decision.Chosen is not { } chosen)
            {
                return new PlacementResult(decision, null);
            }

            Release(request.InstanceId);
            var claim = new Claim(request.InstanceId, chosen.Host, request.Flavor.Vcpus, request.Flavor.RamMb, request.DiskGb);
            Add(claim);
            return new PlacementResult(decision, claim);
        }
    }

    /// <summary>Takes a claim for a server already on a host (a build resumed after a restart); idempotent.</summary>
    public void Hold(Claim claim)
    {
        lock (_gate)
        {
            Release(claim.InstanceId);
            Add(claim);
        }
    }

    /// <summary>Gives the server's claim back (build failed here, server deleted). False when it held none.</summary>
    public bool Release(Guid instanceId)
    {
        lock (_gate)
        {
            if (!_claims.Remove(instanceId, out var claim))
            {
                return false;
            }

            if (_hosts.TryGetValue(claim.Host, out var entry))
            {
                entry.Vcpus -= claim.Vcpus;
                entry.RamMb -= claim.RamMb;
                entry.DiskGb -= claim.DiskGb;
                entry.Count--;
                entry.State = null;
            }

            return true;
        }
    }

    public Claim? ClaimOf(Guid instanceId)
    {
        lock (_gate)
        {
            return _claims.GetValueOrDefault(instanceId);
        }
    }

    /// <summary>Every host as the scheduler sees it now.</summary>
    public IReadOnlyList<HostState> States()
    {
        lock (_gate)
        {
            return CurrentStates();
        }
    }

    private HostState[] CurrentStates()
    {
        var now = time.GetUtcNow().UtcDateTime;
        var states = new HostState[_hosts.Count];
        var i = 0;
        foreach (var (host, entry) in _hosts)
        {
            var age = (now - (entry.LastSeenUp ?? entry.Flags.CreatedAt)).TotalSeconds;
            var up = !entry.Flags.ForcedDown && entry.LastSeenUp is not null && age <= options.ServiceDownTime.TotalSeconds;
            var state = entry.State ??= Build(host, entry);
            if (state.Up != up || !up)
            {
                state = entry.State = state with { Up = up, HeartbeatAgeSeconds = up ? 0 : Math.Max(0, age) };
            }

            states[i++] = state;
        }

        return states;
    }

    private HostState Build(string host, Entry entry) => new()
    {
        Host = host,
        Node = entry.Facts?.HypervisorHostname ?? host,
        AvailabilityZone = entry.Flags.Zone,
        Enabled = !entry.Flags.Disabled,
        DisabledReason = entry.Flags.DisabledReason,
        Vcpus = entry.Facts?.Vcpus ?? 0,
        VcpusUsed = entry.Vcpus,
        MemoryMb = entry.Facts?.MemoryMb ?? 0,
        MemoryMbUsed = options.ReservedHostMemoryMb + entry.RamMb,
        LocalGb = entry.Facts?.LocalGb ?? 0,
        // At least what the SR already holds: on a host filesystem or a shared SR, files nobody claimed (other VMs,
        // the image cache, anything else on the disk) take space the claims do not know of, and the SR refuses a
        // VDI that does not fit its real free space (SR_FULL). Not the sum: a claimed disk that exists is in both,
        // and thin (qcow2) disks hold far less than they claim.
        LocalGbUsed = Math.Max(entry.DiskGb, entry.Facts is { } facts ? facts.LocalGb - facts.FreeDiskGb : 0),
        CpuAllocationRatio = options.CpuAllocationRatio,
        RamAllocationRatio = options.RamAllocationRatio,
        DiskAllocationRatio = options.DiskAllocationRatio,
        StorageRepositories = entry.Facts?.StorageRepositories ?? [],
        Capabilities = entry.Capabilities,
        RunningVms = entry.Count,
    };

    private void Add(Claim claim)
    {
        _claims[claim.InstanceId] = claim;
        var entry = GetOrAdd(claim.Host);
        entry.Vcpus += claim.Vcpus;
        entry.RamMb += claim.RamMb;
        entry.DiskGb += claim.DiskGb;
        entry.Count++;
        entry.State = null;
    }

    private Entry GetOrAdd(string host)
    {
        if (!_hosts.TryGetValue(host, out var entry))
        {
            // A host known only from a claim (its service not loaded yet) is down until it reports.
            entry = new Entry { Flags = new HostFlags("nova", false, null, false, time.GetUtcNow().UtcDateTime) };
            _hosts[host] = entry;
        }

        return entry;
    }

    private sealed class Entry
    {
        public required HostFlags Flags { get; set; }

        public HypervisorFacts? Facts { get; set; }

        public IReadOnlyDictionary<string, string> Capabilities { get; set; } = new Dictionary<string, string>();

        public DateTime? LastSeenUp { get; set; }

        public int Vcpus { get; set; }

        public long RamMb { get; set; }

        public long DiskGb { get; set; }

        public int Count { get; set; }

        public HostState? State { get; set; }
    }
}
