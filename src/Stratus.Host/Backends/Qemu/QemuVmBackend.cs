using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Stratus.Host.Networking;
using Stratus.Host.Processes;
using Stratus.XenApi;

namespace Stratus.Host.Backends.Qemu;

/// <summary>
/// Runs VMs as QEMU processes. Each VM is one daemonized qemu-system-x86_64 (its own session, not the agent's child,
/// so it survives the agent, even a kill -9) with a pid file, a QMP socket and a serial log under
/// &lt;data&gt;/qemu/&lt;uuid&gt;/. The backend keeps one QMP connection per VM: power operations are QMP commands
/// (system_powerdown, quit, system_reset, stop, cont, balloon), and the connection closing is how it learns that
/// QEMU has exited; if nobody asked for that, it raises <see cref="GuestStopped"/>. After an agent restart
/// <see cref="AdoptAsync"/> reconnects by pid file and QMP socket.
/// </summary>
internal sealed partial class QemuVmBackend : IVmBackend
{
    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);

    private readonly QemuOptions _options;
    private readonly AcceleratorChoice _accelerator;
    private readonly BridgeNetworking _network;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, QemuVm> _vms = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.OrdinalIgnoreCase);
    private int _disposed;

    private QemuVmBackend(QemuOptions options, AcceleratorChoice accelerator, BridgeNetworking network, TimeProvider time, ILogger logger)
    {
        _options = options;
        _accelerator = accelerator;
        _network = network;
        _time = time;
        _logger = logger;
    }

    public event Action<string>? GuestStopped;

    public string Name => "qemu";

    public string Accelerator => _accelerator.Name;

    /// <summary>
    /// False: IVmBackend has no plug/unplug call for the backend to act on (QMP device_add/device_del would do it),
    /// so a running QEMU VM keeps the disks and NICs it was started with.
    /// </summary>
    public bool SupportsHotplug => false;

    /// <summary>Why <see cref="Accelerator"/> was chosen (probe result or configuration).</summary>
    public string AcceleratorReason => _accelerator.Reason;

    /// <summary>Validates the options and settles the accelerator (a probe boot, once per process, when it is <c>auto</c>).</summary>
    public static async Task<QemuVmBackend> CreateAsync(QemuOptions options, ILoggerFactory? loggerFactory, TimeProvider time, CancellationToken cancellationToken)
    {
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<QemuVmBackend>();
        var accelerator = await new AcceleratorProbe(options, loggerFactory.CreateLogger<AcceleratorProbe>(), time).ChooseAsync(cancellationToken);
        Directory.CreateDirectory(Path.Combine(options.DataDirectory, "qemu"));
        return new QemuVmBackend(options, accelerator, new BridgeNetworking(options.NetworkNamespace, loggerFactory.CreateLogger<BridgeNetworking>()), time, logger);
    }

    public async Task<VmRuntimeInfo> StartAsync(VmLaunchSpec spec, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var gate = Gate(spec.Uuid);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var paths = QemuVmPaths.For(_options, spec.Uuid);
            if (_vms.ContainsKey(spec.Uuid)
                || (await QemuProcess.ReadPidFileAsync(paths.PidFile, cancellationToken) is { } old && QemuProcess.IsAlive(old, spec.Uuid)))
            {
                throw new XenApiFailure(XenErrors.VmBadPowerState, spec.Uuid, "halted", "running");
            }

            var started = _time.GetTimestamp();
            Directory.CreateDirectory(paths.Directory);
            File.Delete(paths.PidFile);
            File.Delete(paths.QmpSocket);

            var taps = new List<string?>();
            var created = new List<string>();
            try
            {
                foreach (var nic in spec.Nics)
                {
                    if (nic.Bridge is null)
                    {
                        taps.Add(null);
                    }
                    else if (!_network.IsPermitted)
                    {
                        Log.UserNetworkingFallback(_logger, spec.Uuid, nic.Index, nic.Bridge);
                        taps.Add(null);
                    }
                    else
                    {
                        var tap = BridgeNetworking.TapName(spec.Uuid, nic.Index);
                        await _network.EnsureBridgeAsync(nic.Bridge, nic.Mtu, cancellationToken);
                        await _network.CreateTapAsync(tap, nic.Bridge, nic.Mtu, cancellationToken);
                        created.Add(tap);
                        taps.Add(tap);
                    }
                }
            }
            catch (CommandFailedException e)
            {
                await DeleteTapsAsync(created);
                throw Failure(spec.Uuid, $"network setup failed: {e.Detail}");
            }

            var state = new QemuVmState(spec.Uuid, spec.Name, Accelerator, created, _time.GetUtcNow());
            await File.WriteAllTextAsync(paths.StateFile, JsonSerializer.Serialize(state, StateJson), cancellationToken);

            QemuVm vm;
            try
            {
                vm = await LaunchAsync(spec, paths, taps, created, cancellationToken);
            }
            catch
            {
                await DeleteTapsAsync(created);
                File.Delete(paths.StateFile);
                throw;
            }

            _vms[spec.Uuid] = vm;
            vm.Watcher = Task.Run(() => WatchAsync(vm), CancellationToken.None);
            Log.Started(_logger, spec.Uuid, vm.Pid, Accelerator, vm.VncAddress, _time.GetElapsedTime(started).TotalMilliseconds);
            return vm.RuntimeInfo;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Runs QEMU (it daemonizes once the machine is set up), then connects to its QMP socket.</summary>
    private async Task<QemuVm> LaunchAsync(VmLaunchSpec spec, QemuVmPaths paths, List<string?> taps, List<string> created, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> args;
        try
        {
            args = QemuCommandLine.Build(spec, paths, Accelerator, _options, taps);
        }
        catch (ArgumentException e)
        {
            throw Failure(spec.Uuid, e.Message);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.StartTimeout);
        try
        {
            var (file, arguments) = _options.NetworkNamespace is null
                ? (_options.Binary, args)
                : (ExternalCommand.Find("ip") ?? "ip", (IReadOnlyList<string>)["netns", "exec", _options.NetworkNamespace, _options.Binary, .. args]);
            // A missing binary comes back as exit 127 with the reason; QEMU's own errors are its stderr.
            var result = await ExternalCommand.RunAsync(file, arguments, timeout.Token);
            if (!result.Succeeded)
                throw Failure(spec.Uuid, ExternalCommand.ErrorText(result));

            var pid = await QemuProcess.ReadPidFileAsync(paths.PidFile, timeout.Token)
                ?? throw Failure(spec.Uuid, $"QEMU exited 0 but wrote no pid file {paths.PidFile}");
            try
            {
                var qmp = await QmpClient.ConnectAsync(paths.QmpSocket, timeout.Token);
                var vnc = await QueryVncAsync(qmp, paths, timeout.Token);
                if (spec.MemoryTargetBytes > 0 && spec.MemoryTargetBytes < spec.MemoryBytes)
                    await SetBalloonAsync(spec.Uuid, qmp, spec.MemoryTargetBytes, timeout.Token);
                return new QemuVm(spec.Uuid, paths, pid, qmp, created, vnc);
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or QmpErrorException or JsonException)
            {
                QemuProcess.Kill(pid, spec.Uuid);
                throw Failure(spec.Uuid, $"QEMU started (pid {pid}) but its QMP socket failed: {e.Message}");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await KillLeftoverAsync(spec.Uuid, paths);
            throw Failure(spec.Uuid, $"QEMU did not start within {_options.StartTimeout.TotalSeconds:F0} s");
        }
        catch (OperationCanceledException)
        {
            await KillLeftoverAsync(spec.Uuid, paths);
            throw;
        }
    }

    public async Task ShutdownAsync(string vmUuid, bool clean, TimeSpan cleanTimeout, CancellationToken cancellationToken)
    {
        var vm = Running(vmUuid);
        var gate = Gate(vmUuid);
        await gate.WaitAsync(cancellationToken);
        try
        {
            vm.StopRequested = true;
            if (clean)
            {
                // ACPI power button (QMP system_powerdown); the guest decides to power off, or ignores it.
                if (await TryExecuteAsync(vm, "system_powerdown", null, cancellationToken) && await ExitedWithinAsync(vm, cleanTimeout, cancellationToken))
                    return;
                if (vm.Exited.IsCompleted)
                    return;
                Log.CleanShutdownTimedOut(_logger, vmUuid, cleanTimeout.TotalSeconds);
            }

            // QMP quit: QEMU exits at once (the reply may or may not arrive before the socket closes).
            await TryExecuteAsync(vm, "quit", null, cancellationToken);
            if (await ExitedWithinAsync(vm, _options.ExitTimeout, cancellationToken))
                return;
            Log.Killing(_logger, vmUuid, vm.Pid);
            QemuProcess.Kill(vm.Pid, vmUuid);
            await vm.Exited.WaitAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>QMP system_reset for both kinds: the "reboot = system_reset"; QEMU has no gentler guest-agnostic reboot.</summary>
    public Task RebootAsync(string vmUuid, bool clean, CancellationToken cancellationToken) => ControlAsync(vmUuid, "system_reset", null, cancellationToken);

    public Task PauseAsync(string vmUuid, CancellationToken cancellationToken) => ControlAsync(vmUuid, "stop", null, cancellationToken);

    public Task UnpauseAsync(string vmUuid, CancellationToken cancellationToken) => ControlAsync(vmUuid, "cont", null, cancellationToken);

    /// <summary>QMP balloon: the guest's virtio-balloon driver gives memory back down to the target.</summary>
    public Task SetMemoryTargetAsync(string vmUuid, long bytes, CancellationToken cancellationToken) =>
        ControlAsync(vmUuid, "balloon", new JsonObject { ["value"] = bytes }, cancellationToken);

    /// <summary>Runs a read-only QMP query (query-status, query-balloon, ...) on a running VM, for diagnostics.</summary>
    public async Task<JsonElement> QueryAsync(string vmUuid, string command, CancellationToken cancellationToken)
    {
        if (!command.StartsWith("query-", StringComparison.Ordinal))
            throw new ArgumentException($"{command} is not a QMP query", nameof(command));
        var vm = Running(vmUuid);
        return await vm.Qmp.ExecuteAsync(command, null, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, VmRuntimeInfo>> AdoptAsync(IReadOnlyCollection<string> vmUuids, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var alive = new Dictionary<string, VmRuntimeInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var uuid in vmUuids)
        {
            var gate = Gate(uuid);
            await gate.WaitAsync(cancellationToken);
            try
            {
                if (_vms.TryGetValue(uuid, out var known))
                {
                    alive[uuid] = known.RuntimeInfo;
                    continue;
                }

                var vm = await TryAdoptAsync(uuid, cancellationToken);
                if (vm is null)
                    continue;
                _vms[uuid] = vm;
                vm.Watcher = Task.Run(() => WatchAsync(vm), CancellationToken.None);
                alive[uuid] = vm.RuntimeInfo;
            }
            finally
            {
                gate.Release();
            }
        }

        return alive;
    }

    private async Task<QemuVm?> TryAdoptAsync(string uuid, CancellationToken cancellationToken)
    {
        var paths = QemuVmPaths.For(_options, uuid);
        var state = await ReadStateAsync(paths, cancellationToken);
        var pid = await QemuProcess.ReadPidFileAsync(paths.PidFile, cancellationToken);
        if (pid is null || !QemuProcess.IsAlive(pid.Value, uuid))
        {
            Log.NotAdopted(_logger, uuid, pid is null ? "no pid file" : $"QEMU pid {pid} is gone");
            await CleanupAsync(uuid, paths, state?.Taps ?? []);
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.StartTimeout);
        try
        {
            var qmp = await QmpClient.ConnectAsync(paths.QmpSocket, timeout.Token);
            var status = await qmp.ExecuteAsync("query-status", null, timeout.Token);
            var vnc = await QueryVncAsync(qmp, paths, timeout.Token);
            Log.Adopted(_logger, uuid, pid.Value, status.TryGetProperty("status", out var s) ? s.GetString() ?? "" : "");
            return new QemuVm(uuid, paths, pid.Value, qmp, state?.Taps ?? [], vnc);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or QmpErrorException or JsonException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // A QEMU that cannot be controlled is of no use and would hold the VM's disks: stop it.
            Log.NotAdopted(_logger, uuid, $"QEMU pid {pid} does not answer on {paths.QmpSocket} ({e.Message}); killed");
            QemuProcess.Kill(pid.Value, uuid);
            await QemuProcess.WaitForExitAsync(pid.Value, uuid, _options.ExitTimeout, _time, cancellationToken);
            await CleanupAsync(uuid, paths, state?.Taps ?? []);
            return null;
        }
    }

    public async Task<string> ReadConsoleAsync(string vmUuid, int? lines, CancellationToken cancellationToken)
    {
        var path = QemuVmPaths.For(_options, vmUuid).ConsoleLog;
        if (!File.Exists(path))
            return "";
        var text = lines is null
            ? await File.ReadAllTextAsync(path, cancellationToken)
            : await ConsoleLogTail.ReadAsync(path, lines.Value, cancellationToken);
        // The guest's tty writes CR LF; HTTP readers want plain lines.
        return text.Replace("\r", "", StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        // QEMU keeps running: the next agent adopts it.
        foreach (var vm in _vms.Values)
            vm.Detaching = true;
        foreach (var vm in _vms.Values)
        {
            await vm.Qmp.DisposeAsync();
            await vm.Watcher;
        }

        _vms.Clear();
    }

    /// <summary>Follows QMP events until the connection ends, then settles the VM's end.</summary>
    private async Task WatchAsync(QemuVm vm)
    {
        await foreach (var e in vm.Qmp.Events.ReadAllAsync())
        {
            if (_logger.IsEnabled(LogLevel.Debug))
                Log.Event(_logger, vm.Uuid, e.Name, e.Data.ValueKind == JsonValueKind.Undefined ? "" : e.Data.GetRawText());
            if (e.Name == "SHUTDOWN" && e.Data.ValueKind == JsonValueKind.Object && e.Data.TryGetProperty("reason", out var reason))
                vm.ShutdownReason = reason.GetString();
        }

        await vm.Qmp.Completion;
        if (vm.Detaching)
            return;

        try
        {
            // The monitor closes as QEMU exits; a QEMU that lingers without its monitor is useless, so it goes.
            if (!await QemuProcess.WaitForExitAsync(vm.Pid, vm.Uuid, _options.ExitTimeout, _time, CancellationToken.None))
            {
                Log.Killing(_logger, vm.Uuid, vm.Pid);
                QemuProcess.Kill(vm.Pid, vm.Uuid);
                await QemuProcess.WaitForExitAsync(vm.Pid, vm.Uuid, _options.ExitTimeout, _time, CancellationToken.None);
            }

            await vm.Qmp.DisposeAsync();
            await CleanupAsync(vm.Uuid, vm.Paths, vm.Taps);
        }
        finally
        {
            _vms.TryRemove(new KeyValuePair<string, QemuVm>(vm.Uuid, vm));
            vm.MarkExited();
        }

        Log.Stopped(_logger, vm.Uuid, vm.Pid, vm.ShutdownReason ?? "QEMU exited", vm.StopRequested);
        if (!vm.StopRequested)
        {
            try
            {
                GuestStopped?.Invoke(vm.Uuid);
            }
            catch (Exception e)
            {
                Log.HandlerFailed(_logger, vm.Uuid, e);
            }
        }
    }

    private async Task ControlAsync(string vmUuid, string command, JsonObject? arguments, CancellationToken cancellationToken)
    {
        var vm = Running(vmUuid);
        try
        {
            await vm.Qmp.ExecuteAsync(command, arguments, cancellationToken);
        }
        catch (QmpErrorException e)
        {
            throw new XenApiFailure(XenErrors.InternalError, $"QEMU refused {command} for VM {vmUuid}: {e.Description}");
        }
        catch (IOException)
        {
            // QEMU went away under us: the watcher reports it.
            throw new XenApiFailure(XenErrors.VmBadPowerState, vmUuid, "running", "halted");
        }
    }

    private async Task<bool> TryExecuteAsync(QemuVm vm, string command, JsonObject? arguments, CancellationToken cancellationToken)
    {
        try
        {
            await vm.Qmp.ExecuteAsync(command, arguments, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is IOException or QmpErrorException or ObjectDisposedException)
        {
            return false;
        }
    }

    private async Task<bool> ExitedWithinAsync(QemuVm vm, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await vm.Exited.WaitAsync(timeout, _time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task SetBalloonAsync(string vmUuid, QmpClient qmp, long bytes, CancellationToken cancellationToken)
    {
        try
        {
            await qmp.ExecuteAsync("balloon", new JsonObject { ["value"] = bytes }, cancellationToken);
        }
        catch (QmpErrorException e)
        {
            Log.BalloonFailed(_logger, vmUuid, e.Description);
        }
    }

    /// <summary>QMP query-vnc: whether the VNC server runs; its address is the VM's unix socket, as <c>unix:PATH</c>.</summary>
    private static async Task<string?> QueryVncAsync(QmpClient qmp, QemuVmPaths paths, CancellationToken cancellationToken)
    {
        var vnc = await qmp.ExecuteAsync("query-vnc", null, cancellationToken);
        return vnc.TryGetProperty("enabled", out var enabled) && enabled.GetBoolean() ? "unix:" + paths.VncSocket : null;
    }

    private QemuVm Running(string vmUuid) =>
        _vms.TryGetValue(vmUuid, out var vm) && !vm.Exited.IsCompleted
            ? vm
            : throw new XenApiFailure(XenErrors.VmBadPowerState, vmUuid, "running", "halted");

    private SemaphoreSlim Gate(string vmUuid) => _locks.GetOrAdd(vmUuid, _ => new SemaphoreSlim(1, 1));

    private XenApiFailure Failure(string vmUuid, string message)
    {
        Log.StartFailed(_logger, vmUuid, message);
        return new XenApiFailure(XenErrors.FailedToStartEmulator, vmUuid, Path.GetFileName(_options.Binary), message);
    }

    /// <summary>After a cancelled or timed-out start: the daemon may be up already although its parent was killed.</summary>
    private async Task KillLeftoverAsync(string vmUuid, QemuVmPaths paths)
    {
        if (await QemuProcess.ReadPidFileAsync(paths.PidFile, CancellationToken.None) is { } pid)
            QemuProcess.Kill(pid, vmUuid);
        File.Delete(paths.PidFile);
    }

    private async Task CleanupAsync(string vmUuid, QemuVmPaths paths, IReadOnlyList<string> taps)
    {
        try
        {
            await DeleteTapsAsync(taps);
            File.Delete(paths.PidFile);
            File.Delete(paths.QmpSocket);
            File.Delete(paths.StateFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CommandFailedException)
        {
            Log.CleanupFailed(_logger, vmUuid, e);
        }
    }

    private async Task DeleteTapsAsync(IReadOnlyList<string> taps)
    {
        foreach (var tap in taps)
            await _network.DeleteTapAsync(tap, CancellationToken.None);
    }

    private static async Task<QemuVmState?> ReadStateAsync(QemuVmPaths paths, CancellationToken cancellationToken)
    {
        try
        {
            return JsonSerializer.Deserialize<QemuVmState>(await File.ReadAllTextAsync(paths.StateFile, Encoding.UTF8, cancellationToken), StateJson);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }
}
