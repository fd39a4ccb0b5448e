using Stratus.Host.Api.Dispatch;
using Stratus.Host.Backends;
using Stratus.Host.Database;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Api.Messages.Vm;

/// <summary>
/// The memory setters (xapi_vm.ml, xapi_vm_memory_constraints.ml). The invariant
/// <c>static_min ≤ dynamic_min ≤ dynamic_max ≤ static_max</c> holds after every call, or the call fails with
/// MEMORY_CONSTRAINT_VIOLATION_ORDER and changes nothing. As in xapi's message forwarding, set_memory_static_min/max
/// become set_memory_static_range (VM must be Halted) and set_memory_dynamic_min/max become
/// set_memory_dynamic_range (Halted or Running; a running VM's balloon follows dynamic_max).
/// Policy: dynamic memory control is on (virtio-balloon), except for the control domain, which stays pinned at
/// static_max (MEMORY_CONSTRAINT_VIOLATION_MAXPIN ["control domain"]).
/// </summary>
internal sealed class VmMemoryMessages(ObjectDatabase db, IVmBackend backend) : IMessageArea
{
    public void Register(MethodTable table)
    {
        table.Message("VM.set_memory_static_min", (_, a) => Static(a.Ref(0), vm => (a.Int(1), vm.Int("memory_static_max"))));
        table.Message("VM.set_memory_static_max", (_, a) => Static(a.Ref(0), vm => (vm.Int("memory_static_min"), a.Int(1))));
        table.Message("VM.set_memory_static_range", (_, a) => Static(a.Ref(0), _ => (a.Int(1), a.Int(2))));
        table.Message("VM.set_memory_dynamic_min", (c, a) => DynamicAsync(c, a.Ref(0), vm => (a.Int(1), vm.Int("memory_dynamic_max"))));
        table.Message("VM.set_memory_dynamic_max", (c, a) => DynamicAsync(c, a.Ref(0), vm => (vm.Int("memory_dynamic_min"), a.Int(1))));
        table.Message("VM.set_memory_dynamic_range", (c, a) => DynamicAsync(c, a.Ref(0), _ => (a.Int(1), a.Int(2))));
        table.Message("VM.set_memory_limits", (_, a) => Limits(a.Ref(0), a.Int(1), a.Int(2), a.Int(3), a.Int(4)));
        table.Message("VM.set_memory", (_, a) => Limits(a.Ref(0), null, a.Int(1), a.Int(1), a.Int(1)));
        // Deprecated in favour of set_memory_dynamic_range; xapi accepts and ignores it.
        table.Message("VM.set_memory_target_live", (_, _) => null);
    }

    public static void AssertOrder(long staticMin, long dynamicMin, long dynamicMax, long staticMax)
    {
        if (!(staticMin <= dynamicMin && dynamicMin <= dynamicMax && dynamicMax <= staticMax) || staticMin < 0)
        {
            throw new XenApiFailure(XenErrors.MemoryConstraintViolationOrder);
        }
    }

    private object? Static(string vmRef, Func<Row, (long Min, long Max)> range)
    {
        db.Write(tx =>
        {
            var vm = tx.Get(XenModel.VM, vmRef);
            VmOperations.Assert(vm, "changing_static_range");
            var (min, max) = range(vm);
            Check(vm, min, vm.Int("memory_dynamic_min"), vm.Int("memory_dynamic_max"), max);
            tx.Update(XenModel.VM, vmRef, ("memory_static_min", min), ("memory_static_max", max));
        });
        return null;
    }

    private async ValueTask<object?> DynamicAsync(CallContext context, string vmRef, Func<Row, (long Min, long Max)> range)
    {
        var (uuid, running, max) = db.Write(tx =>
        {
            var vm = tx.Get(XenModel.VM, vmRef);
            VmOperations.Assert(vm, "changing_dynamic_range");
            var (min, max) = range(vm);
            Check(vm, vm.Int("memory_static_min"), min, max, vm.Int("memory_static_max"));
            tx.Update(XenModel.VM, vmRef, ("memory_dynamic_min", min), ("memory_dynamic_max", max), ("memory_target", min));
            return (vm.Uuid, vm.String("power_state") == "Running" && !vm.Bool("is_control_domain"), max);
        });
        if (running)
        {
            await backend.SetMemoryTargetAsync(uuid, max, context.Cancellation);
        }

        return null;
    }

    private object? Limits(string vmRef, long? staticMin, long staticMax, long dynamicMin, long dynamicMax)
    {
        db.Write(tx =>
        {
            var vm = tx.Get(XenModel.VM, vmRef);
            VmOperations.Assert(vm, "changing_memory_limits");
            var min = staticMin ?? vm.Int("memory_static_min");
            Check(vm, min, dynamicMin, dynamicMax, staticMax);
            tx.Update(XenModel.VM, vmRef,
                ("memory_static_min", min),
                ("memory_dynamic_min", dynamicMin),
                ("memory_target", dynamicMin),
                ("memory_dynamic_max", dynamicMax),
                ("memory_static_max", staticMax));
        });
        return null;
    }

    private static void Check(Row vm, long staticMin, long dynamicMin, long dynamicMax, long staticMax)
    {
        if (vm.Bool("is_control_domain") && !(staticMin <= dynamicMin && dynamicMin == dynamicMax && dynamicMax == staticMax))
        {
            throw new XenApiFailure(XenErrors.MemoryConstraintViolationMaxpin, "control domain");
        }

        AssertOrder(staticMin, dynamicMin, dynamicMax, staticMax);
    }
}
