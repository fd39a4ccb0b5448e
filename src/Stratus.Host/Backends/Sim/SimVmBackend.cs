using System.Collections.Concurrent;
using System.Globalization;

namespace Stratus.Host.Backends.Sim;

/// <summary>
/// The simulated hypervisor: VMs exist only as state, starts and stops take a configurable simulated time, and a
/// console log records what happened, so one machine can stand in for hundreds of hosts. Simulated VMs keep running
/// across agent restarts (the database says they run, and nothing can have killed them).
/// </summary>
internal sealed class SimVmBackend(HostAgentOptions options, TimeProvider time) : IVmBackend
{
    private readonly ConcurrentDictionary<string, SimVm> _vms = new(StringComparer.OrdinalIgnoreCase);
    private long _nextDomId;

    public string Name => "sim";

    public string Accelerator => "none";

    public bool SupportsHotplug => true;

    // The simulator has no guests that stop by themselves.
    public event Action<string>? GuestStopped
    {
        add { }
        remove { }
    }

    public async Task<VmRuntimeInfo> StartAsync(VmLaunchSpec spec, CancellationToken cancellationToken)
    {
        await DelayAsync(options.SimStartDelay, cancellationToken);
        var domId = Interlocked.Increment(ref _nextDomId);
        var vm = _vms.GetOrAdd(spec.Uuid, _ => new SimVm());
        vm.Log(time, $"[sim] starting {spec.Name} ({spec.Uuid}): {spec.Vcpus} vCPUs, {spec.MemoryBytes >> 20} MiB, {spec.Disks.Count} disks, {spec.Nics.Count} NICs");
        foreach (var nic in spec.Nics)
        {
            vm.Log(time, $"[sim] eth{nic.Index}: {nic.Mac} on {nic.Bridge ?? "user networking"}");
        }

        vm.Log(time, $"[sim] {spec.Name} is up{(spec.StartPaused ? " (paused)" : "")}");
        return new VmRuntimeInfo(domId, null);
    }

    public async Task ShutdownAsync(string vmUuid, bool clean, TimeSpan cleanTimeout, CancellationToken cancellationToken)
    {
        await DelayAsync(options.SimStopDelay, cancellationToken);
        Get(vmUuid).Log(time, clean ? "[sim] power button pressed; the guest shut down" : "[sim] powered off");
    }

    public async Task RebootAsync(string vmUuid, bool clean, CancellationToken cancellationToken)
    {
        await DelayAsync(options.SimStopDelay + options.SimStartDelay, cancellationToken);
        Get(vmUuid).Log(time, clean ? "[sim] the guest rebooted" : "[sim] reset");
    }

    public Task PauseAsync(string vmUuid, CancellationToken cancellationToken)
    {
        Get(vmUuid).Log(time, "[sim] paused");
        return Task.CompletedTask;
    }

    public Task UnpauseAsync(string vmUuid, CancellationToken cancellationToken)
    {
        Get(vmUuid).Log(time, "[sim] resumed");
        return Task.CompletedTask;
    }

    public Task SetMemoryTargetAsync(string vmUuid, long bytes, CancellationToken cancellationToken)
    {
        Get(vmUuid).Log(time, string.Create(CultureInfo.InvariantCulture, $"[sim] balloon target {bytes >> 20} MiB"));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, VmRuntimeInfo>> AdoptAsync(IReadOnlyCollection<string> vmUuids, CancellationToken cancellationToken)
    {
        // DomId -1: keep the domain id the database has.
        var alive = vmUuids.ToDictionary(u => u, _ => new VmRuntimeInfo(-1, null), StringComparer.OrdinalIgnoreCase);
        foreach (var uuid in vmUuids)
        {
            _vms.GetOrAdd(uuid, _ => new SimVm()).Log(time, "[sim] adopted after an agent restart");
        }

        return Task.FromResult<IReadOnlyDictionary<string, VmRuntimeInfo>>(alive);
    }

    public Task<string> ReadConsoleAsync(string vmUuid, int? lines, CancellationToken cancellationToken) =>
        Task.FromResult(_vms.TryGetValue(vmUuid, out var vm) ? vm.Tail(lines) : "");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private SimVm Get(string vmUuid) => _vms.GetOrAdd(vmUuid, _ => new SimVm());

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, time, cancellationToken) : Task.CompletedTask;

    private sealed class SimVm
    {
        private const int MaxLines = 1000;
        private readonly Queue<string> _lines = new();

        public void Log(TimeProvider time, string line)
        {
            lock (_lines)
            {
                _lines.Enqueue($"{time.GetUtcNow():yyyy-MM-dd HH:mm:ss} {line}");
                while (_lines.Count > MaxLines)
                {
                    _lines.Dequeue();
                }
            }
        }

        public string Tail(int? lines)
        {
            lock (_lines)
            {
                var selected = lines is { } n ? _lines.Skip(Math.Max(0, _lines.Count - n)) : _lines;
                return string.Concat(selected.Select(l => l + "\n"));
            }
        }
    }
}
