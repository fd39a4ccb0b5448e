using Stratus.Host.Api.Dispatch;
using Stratus.Host.Api.Messages.Host;
using Stratus.Host.Api.Messages.Storage;
using Stratus.Host.Backends;
using Stratus.Host.Database;
using Stratus.Host.Storage;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Api.Messages.Vm;

/// <summary>
/// VM power operations: start/start_on, clean/hard shutdown, clean/hard reboot, pause/unpause, assert_can_boot_here
/// and power_state_reset. Each one checks and reserves in a first transaction (so concurrent starts never overcommit
/// the host), calls the backend outside any transaction, then records the outcome; a backend failure releases the
/// reservation and leaves the VM as it was.
/// </summary>
internal sealed partial class VmPowerMessages(
    ObjectDatabase db,
    IVmBackend backend,
    SrContexts storage,
    HostIdentity host,
    HostAgentOptions options,
    TimeProvider time,
    ILogger<VmPowerMessages> logger) : IMessageArea
{
    public void Register(MethodTable table)
    {
        table.Message("VM.start", (c, a) => StartAsync(c, a.Ref(0), host.HostRef, a.Bool(1)));
        table.Message("VM.start_on", (c, a) => StartAsync(c, a.Ref(0), a.Ref(1), a.Bool(2)));
        table.Message("VM.clean_shutdown", (c, a) => ShutdownAsync(c, a.Ref(0), clean: true));
        table.Message("VM.hard_shutdown", (c, a) => ShutdownAsync(c, a.Ref(0), clean: false));
        table.Message("VM.shutdown", (c, a) => ShutdownAsync(c, a.Ref(0), clean: true));
        table.Message("VM.clean_reboot", (c, a) => RebootAsync(c, a.Ref(0), clean: true));
        table.Message("VM.hard_reboot", (c, a) => RebootAsync(c, a.Ref(0), clean: false));
        table.Message("VM.pause", (c, a) => PauseAsync(c, a.Ref(0), pause: true));
        table.Message("VM.unpause", (c, a) => PauseAsync(c, a.Ref(0), pause: false));
        table.Message("VM.assert_can_boot_here", (_, a) =>
        {
            db.Read(tx =>
            {
                var vm = tx.Get(XenModel.VM, a.Ref(0));
                tx.Get(XenModel.Host, a.Ref(1));
                VmOperations.Assert(vm, "start");
                HostCapacity.AssertCanBoot(tx, vm, a.Ref(1));
                return LaunchSpec(tx, vm, paused: false);
            });
            return null;
        });
        table.Message("VM.get_possible_hosts", (_, a) => db.Read(tx =>
        {
            var vm = tx.Get(XenModel.VM, a.Ref(0));
            try
            {
                HostCapacity.AssertCanBoot(tx, vm, host.HostRef);
                return new object?[] { host.HostRef };
            }
            catch (XenApiFailure)
            {
                return Array.Empty<object?>();
            }
        }));
        table.Message("VM.power_state_reset", (_, a) =>
        {
            db.Write(tx =>
            {
                var vm = tx.Get(XenModel.VM, a.Ref(0));
                if (vm.Bool("is_control_domain"))
                {
                    throw new XenApiFailure(XenErrors.OperationNotAllowed, "power_state_reset is not allowed on the control domain");
                }

                VmState.MarkHalted(tx, vm.Ref, Now);
            });
            return null;
        });
    }

    /// <summary>Called when the backend reports that a guest stopped by itself (powered off, or its QEMU died).</summary>
    public void OnGuestStopped(string vmUuid)
    {
        var restart = db.Write(tx =>
        {
            var vm = tx.FindByUuid(XenModel.VM, vmUuid);
            // An operation in progress (a shutdown we asked for) records the outcome itself.
            if (vm is null || vm.String("power_state") == "Halted" || vm.Map("current_operations").Count > 0)
            {
                return null;
            }

            VmState.MarkHalted(tx, vm.Ref, Now);
            return vm.String("actions_after_shutdown") == "restart" ? vm.Ref : null;
        });
        LogGuestStopped(logger, vmUuid, restart is not null);
        if (restart is not null)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await StartAsync(new CallContext(db, null, null, null, CancellationToken.None), restart, host.HostRef, paused: false);
                }
                catch (Exception e) when (e is XenApiFailure or OperationCanceledException)
                {
                    LogRestartFailed(logger, vmUuid, e.Message);
                }
            });
        }
    }

    /// <summary>
    /// After a restart of the agent: re-adopts the VMs the database believes run here; those whose backend process
    /// died meanwhile become Halted. Operations cut off by the restart are cleared.
    /// </summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var believed = db.Write(tx =>
        {
            foreach (var vm in tx.All(XenModel.VM).Where(v => v.Map("current_operations").Count > 0 || !XenRef.IsNull(v.String("scheduled_to_be_resident_on"))).ToList())
            {
                VmState.EndOperation(tx, vm.Ref);
            }

            return tx.All(XenModel.VM)
                .Where(v => !v.Bool("is_control_domain") && v.String("power_state") is "Running" or "Paused" && v.String("resident_on") == host.HostRef)
                .Select(v => v.Uuid)
                .ToList();
        });
        var alive = await backend.AdoptAsync(believed, cancellationToken);
        db.Write(tx =>
        {
            foreach (var uuid in believed)
            {
                var vm = tx.FindByUuid(XenModel.VM, uuid)!;
                if (alive.TryGetValue(uuid, out var runtime))
                {
                    if (runtime.DomId >= 0 && runtime.DomId != vm.Int("domid"))
                    {
                        tx.Update(XenModel.VM, vm.Ref, ("domid", runtime.DomId));
                    }
                }
                else
                {
                    VmState.MarkHalted(tx, vm.Ref, Now);
                }
            }

            HostCapacity.Refresh(tx, host.HostRef, Now);
        });
        LogReconciled(logger, believed.Count, alive.Count);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private async ValueTask<object?> StartAsync(CallContext context, string vmRef, string hostRef, bool paused)
    {
        var operation = context.Task ?? XenRef.New();
        var spec = db.Write(tx =>
        {
            var vm = tx.Get(XenModel.VM, vmRef);
            tx.Get(XenModel.Host, hostRef);
            if (hostRef != host.HostRef)
            {
                // One agent is one host; a pool of several would forward the call to the member.
                throw new XenApiFailure(XenErrors.OperationNotAllowed, $"host {hostRef} is not the host this agent manages");
            }

            VmOperations.Assert(vm, "start");
            HostCapacity.AssertCanBoot(tx, vm, hostRef);
            var launch = LaunchSpec(tx, vm, paused);
            VmState.BeginOperation(tx, vm, operation, "start");
            tx.Update(XenModel.VM, vmRef, ("scheduled_to_be_resident_on", hostRef));
            HostCapacity.Refresh(tx, hostRef, Now);
            return launch;
        });

        VmRuntimeInfo runtime;
        try
        {
            runtime = await backend.StartAsync(spec, context.Cancellation);
        }
        catch
        {
            db.Write(tx =>
            {
                VmState.EndOperation(tx, vmRef);
                HostCapacity.Refresh(tx, hostRef, Now);
            });
            throw;
        }

        db.Write(tx => VmState.MarkRunning(tx, vmRef, hostRef, runtime, paused, Now, host.BaseUrl));
        LogStarted(logger, spec.Name, spec.Uuid, backend.Name);
        return null;
    }

    private async ValueTask<object?> ShutdownAsync(CallContext context, string vmRef, bool clean)
    {
        var uuid = Begin(context, vmRef, clean ? "clean_shutdown" : "hard_shutdown");
        try
        {
            await backend.ShutdownAsync(uuid, clean, options.CleanShutdownTimeout, context.Cancellation);
        }
        catch
        {
            db.Write(tx => VmState.EndOperation(tx, vmRef));
            throw;
        }

        db.Write(tx => VmState.MarkHalted(tx, vmRef, Now));
        return null;
    }

    private async ValueTask<object?> RebootAsync(CallContext context, string vmRef, bool clean)
    {
        var uuid = Begin(context, vmRef, clean ? "clean_reboot" : "hard_reboot");
        try
        {
            await backend.RebootAsync(uuid, clean, context.Cancellation);
        }
        finally
        {
            db.Write(tx =>
            {
                VmState.EndOperation(tx, vmRef);
                var vm = tx.Get(XenModel.VM, vmRef);
                if (vm.String("power_state") == "Paused")
                {
                    // A hard reboot of a paused VM leaves it running.
                    tx.Update(XenModel.VM, vmRef, ("power_state", "Running"), ("allowed_operations", VmOperations.Allowed(vm, "Running")));
                }

                if (tx.Find(XenModel.VMMetrics, vm.String("metrics")) is not null)
                {
                    tx.Update(XenModel.VMMetrics, vm.String("metrics"), ("start_time", Now), ("last_updated", Now));
                }
            });
        }

        return null;
    }

    private async ValueTask<object?> PauseAsync(CallContext context, string vmRef, bool pause)
    {
        var uuid = Begin(context, vmRef, pause ? "pause" : "unpause");
        try
        {
            if (pause)
            {
                await backend.PauseAsync(uuid, context.Cancellation);
            }
            else
            {
                await backend.UnpauseAsync(uuid, context.Cancellation);
            }
        }
        finally
        {
            db.Write(tx => VmState.EndOperation(tx, vmRef));
        }

        var state = pause ? "Paused" : "Running";
        db.Write(tx =>
        {
            var vm = tx.Get(XenModel.VM, vmRef);
            tx.Update(XenModel.VM, vmRef, ("power_state", state), ("allowed_operations", VmOperations.Allowed(vm, state)));
        });
        return null;
    }

    /// <summary>Checks and marks an operation on a VM; returns the VM's uuid for the backend.</summary>
    private string Begin(CallContext context, string vmRef, string operation) =>
        db.Write(tx =>
        {
            var vm = tx.Get(XenModel.VM, vmRef);
            VmOperations.Assert(vm, operation);
            VmState.BeginOperation(tx, vm, context.Task ?? XenRef.New(), operation);
            return vm.Uuid;
        });

    /// <summary>Resolves a VM's disks (through each SR's driver), NICs and boot settings into a backend launch spec.</summary>
    private VmLaunchSpec LaunchSpec(DbTransaction tx, Row vm, bool paused)
    {
        var disks = new List<DiskSpec>();
        foreach (var vbd in vm.Set("VBDs").Select(r => tx.Get(XenModel.VBD, (string)r!)).OrderBy(v => Index(v.String("userdevice"))))
        {
            var isCd = vbd.String("type") == "CD";
            var readOnly = vbd.String("mode") == "RO";
            if (vbd.Bool("empty") || XenRef.IsNull(vbd.String("VDI")))
            {
                if (isCd)
                {
                    disks.Add(new DiskSpec(Index(vbd.String("userdevice")), null, "raw", true, true, vbd.Bool("bootable")));
                }

                continue;
            }

            var vdi = tx.Get(XenModel.VDI, vbd.String("VDI"));
            var sr = tx.Get(XenModel.SR, vdi.String("SR"));
            if (vdi.Bool("missing"))
            {
                throw new XenApiFailure(XenErrors.VdiMissing, sr.Ref, vdi.Ref);
            }

            if (vdi.Map("other_config").GetValueOrDefault(VdiOperations.UnusableKey) is string unusable)
            {
                throw SmError.VdiUnavailable.Failure($"VDI {vdi.Uuid} is unusable: {unusable}");
            }

            var context = storage.Plugged(tx, sr);
            var locator = storage.Driver(sr.String("type")).Locate(context, vdi.String("location"));
            disks.Add(new DiskSpec(Index(vbd.String("userdevice")), locator.Path, locator.Format, readOnly || vdi.Bool("read_only"), isCd, vbd.Bool("bootable")));
        }

        var nics = vm.Set("VIFs")
            .Select(r => tx.Get(XenModel.VIF, (string)r!))
            .OrderBy(v => Index(v.String("device")))
            .Select(v =>
            {
                var network = tx.Find(XenModel.Network, v.String("network"));
                var bridge = network?.String("bridge");
                var mtu = v.Int("MTU") > 0 ? v.Int("MTU") : network?.Int("MTU") ?? 1500;
                return new NicSpec(Index(v.String("device")), v.String("MAC"), string.IsNullOrEmpty(bridge) ? null : bridge, (int)mtu);
            })
            .ToList();

        var kernel = vm.String("PV_kernel");
        var order = vm.Map("HVM_boot_params").GetValueOrDefault("order") as string;
        var boot = new BootSpec(
            kernel.Length > 0 ? kernel : null,
            vm.String("PV_ramdisk") is { Length: > 0 } ramdisk ? ramdisk : null,
            vm.String("PV_args") is { Length: > 0 } pvArgs ? pvArgs : null,
            string.IsNullOrEmpty(order) ? "cd" : order);
        return new VmLaunchSpec(vm.Uuid, vm.String("name_label"), (int)vm.Int("VCPUs_at_startup"), vm.Int("memory_static_max"),
            vm.Int("memory_dynamic_max"), disks, nics, boot, paused);
    }

    private static int Index(string device) => int.TryParse(device, out var n) ? n : 99;

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Started VM {Name} ({Uuid}) on the {Backend} backend")]
    private static partial void LogStarted(ILogger logger, string name, string uuid, string backend);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "VM {Uuid} stopped by itself (restart: {Restart})")]
    private static partial void LogGuestStopped(ILogger logger, string uuid, bool restart);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "VM {Uuid} stopped and its restart failed: {Reason}")]
    private static partial void LogRestartFailed(ILogger logger, string uuid, string reason);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "Reconciled after start: {Believed} VMs believed running, {Alive} still alive")]
    private static partial void LogReconciled(ILogger logger, int believed, int alive);
}
