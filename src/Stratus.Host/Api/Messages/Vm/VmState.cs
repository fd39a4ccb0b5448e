using Stratus.Host.Api.Messages.Host;
using Stratus.Host.Backends;
using Stratus.Host.Database;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Api.Messages.Vm;

/// <summary>
/// The bookkeeping of power transitions, shared by the API calls and by events from the backend (a guest that
/// powered itself off): the VM's fields, its devices' currently_attached, its metrics, its consoles and the host's
/// free memory all change in the same transaction.
/// </summary>
internal static class VmState
{
    public static void MarkRunning(DbTransaction tx, string vmRef, string hostRef, VmRuntimeInfo runtime, bool paused, DateTime now, string baseUrl)
    {
        var vm = tx.Get(XenModel.VM, vmRef);
        var state = paused ? "Paused" : "Running";
        tx.Update(XenModel.VM, vmRef,
            ("power_state", state),
            ("resident_on", hostRef),
            ("scheduled_to_be_resident_on", XenRef.Null),
            ("domid", runtime.DomId),
            ("current_operations", XenValue.EmptyMap),
            ("allowed_operations", VmOperations.Allowed(vm, state)));

        var letter = 'a';
        foreach (var vbd in Devices(tx, XenModel.VBD, vm.Set("VBDs"), "userdevice"))
        {
            // Xen's PV naming (xvda, xvdb, ...): nova and the seed's root_device_name (/dev/xvda) expect it.
            tx.Update(XenModel.VBD, vbd.Ref, ("currently_attached", !vbd.Bool("empty") || vbd.String("type") == "CD"), ("device", $"xvd{letter++}"));
        }

        foreach (var vif in vm.Set("VIFs"))
        {
            tx.Update(XenModel.VIF, (string)vif!, ("currently_attached", true));
        }

        if (tx.Find(XenModel.VMMetrics, vm.String("metrics")) is not null)
        {
            tx.Update(XenModel.VMMetrics, vm.String("metrics"),
                ("memory_actual", vm.Int("memory_dynamic_max")),
                ("VCPUs_number", vm.Int("VCPUs_at_startup")),
                ("start_time", now),
                ("state", new object?[] { paused ? "paused" : "running" }),
                ("last_updated", now));
        }

        foreach (var console in vm.Set("consoles").ToList())
        {
            tx.Delete(XenModel.Console, (string)console!);
        }

        if (runtime.VncAddress is { } vnc)
        {
            // As xapi: the location is the agent's CONNECT /console handler, which relays to the VNC server.
            var console = tx.Create(XenModel.Console, new Dictionary<string, object?>
            {
                ["protocol"] = "rfb",
                ["VM"] = vmRef,
                ["other_config"] = XenValue.Map(("vnc_address", vnc)),
            });
            tx.Update(XenModel.Console, console, ("location", $"{baseUrl}/console?uuid={tx.Get(XenModel.Console, console).Uuid}"));
        }

        HostCapacity.Refresh(tx, hostRef, now);
    }

    public static void MarkHalted(DbTransaction tx, string vmRef, DateTime now)
    {
        var vm = tx.Get(XenModel.VM, vmRef);
        var host = vm.String("resident_on");
        var scheduled = vm.String("scheduled_to_be_resident_on");
        tx.Update(XenModel.VM, vmRef,
            ("power_state", "Halted"),
            ("resident_on", XenRef.Null),
            ("scheduled_to_be_resident_on", XenRef.Null),
            ("domid", -1L),
            ("current_operations", XenValue.EmptyMap),
            ("allowed_operations", VmOperations.Allowed(vm, "Halted")));
        foreach (var vbd in vm.Set("VBDs"))
        {
            tx.Update(XenModel.VBD, (string)vbd!, ("currently_attached", false));
        }

        foreach (var vif in vm.Set("VIFs"))
        {
            tx.Update(XenModel.VIF, (string)vif!, ("currently_attached", false));
        }

        foreach (var console in vm.Set("consoles").ToList())
        {
            tx.Delete(XenModel.Console, (string)console!);
        }

        if (tx.Find(XenModel.VMMetrics, vm.String("metrics")) is not null)
        {
            tx.Update(XenModel.VMMetrics, vm.String("metrics"),
                ("memory_actual", 0L),
                ("VCPUs_number", 0L),
                ("state", Array.Empty<object?>()),
                ("last_updated", now));
        }

        foreach (var hostRef in new[] { host, scheduled }.Where(h => !XenRef.IsNull(h)).Distinct())
        {
            if (tx.Exists(XenModel.Host, hostRef))
            {
                HostCapacity.Refresh(tx, hostRef, now);
            }
        }
    }

    /// <summary>Marks an operation as running on the VM (current_operations), which blocks others until it ends.</summary>
    public static void BeginOperation(DbTransaction tx, Row vm, string operationId, string operation) =>
        tx.Update(XenModel.VM, vm.Ref,
            ("current_operations", XenValue.Map((operationId, operation))),
            ("allowed_operations", Array.Empty<object?>()));

    /// <summary>Clears a failed or finished operation, leaving the power state as it is.</summary>
    public static void EndOperation(DbTransaction tx, string vmRef)
    {
        if (tx.Find(XenModel.VM, vmRef) is not { } vm)
        {
            return;
        }

        tx.Update(XenModel.VM, vmRef,
            ("current_operations", XenValue.EmptyMap),
            ("scheduled_to_be_resident_on", XenRef.Null),
            ("allowed_operations", VmOperations.Allowed(vm, vm.String("power_state"))));
    }

    private static IEnumerable<Row> Devices(DbTransaction tx, XenClass cls, IReadOnlyList<object?> refs, string orderField) =>
        refs.Select(r => tx.Get(cls, (string)r!))
            .OrderBy(r => int.TryParse(r.String(orderField), out var n) ? n : int.MaxValue)
            .ThenBy(r => r.String(orderField), StringComparer.Ordinal);
}
