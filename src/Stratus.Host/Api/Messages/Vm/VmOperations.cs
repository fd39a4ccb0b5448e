using Stratus.Host.Database;
using Stratus.XenApi;

namespace Stratus.Host.Api.Messages.Vm;

/// <summary>
/// Which VM operations each power state allows (xapi_vm_lifecycle.ml allowed_power_states), the checks every VM
/// operation makes first, and the <c>allowed_operations</c> set that UIs enable their buttons from.
/// </summary>
internal static class VmOperations
{
    private static readonly string[] Halted = ["Halted"];
    private static readonly string[] Running = ["Running"];

    private static readonly Dictionary<string, string[]> AllowedStates = new(StringComparer.Ordinal)
    {
        ["start"] = Halted,
        ["start_on"] = Halted,
        ["provision"] = Halted,
        ["changing_VCPUs"] = Halted,
        ["changing_static_range"] = Halted,
        ["changing_memory_limits"] = Halted,
        ["make_into_template"] = Halted,
        ["clone"] = Halted,
        ["copy"] = Halted,
        ["destroy"] = ["Halted", "Suspended"],
        ["export"] = ["Halted", "Suspended"],
        ["changing_dynamic_range"] = ["Halted", "Running"],
        ["clean_shutdown"] = Running,
        ["clean_reboot"] = Running,
        ["pause"] = Running,
        ["suspend"] = Running,
        ["changing_VCPUs_live"] = Running,
        ["unpause"] = ["Paused"],
        ["hard_reboot"] = ["Paused", "Running"],
        ["hard_shutdown"] = ["Paused", "Suspended", "Running"],
        ["snapshot"] = ["Halted", "Paused", "Suspended", "Running"],
    };

    // The operations Stratus implements, in the order allowed_operations lists them.
    private static readonly string[] Implemented =
    [
        "start", "start_on", "clean_shutdown", "hard_shutdown", "clean_reboot", "hard_reboot", "pause", "unpause",
        "clone", "copy", "provision", "destroy", "changing_VCPUs", "changing_static_range", "changing_memory_limits",
        "changing_dynamic_range", "make_into_template",
    ];

    /// <summary>
    /// Throws the error a client expects when <paramref name="operation"/> cannot run on <paramref name="vm"/> now:
    /// OPERATION_NOT_ALLOWED on the control domain, VM_IS_TEMPLATE for power operations on templates,
    /// OTHER_OPERATION_IN_PROGRESS while another operation runs, VM_BAD_POWER_STATE [vm, expected, actual].
    /// </summary>
    public static void Assert(Row vm, string operation)
    {
        if (vm.Bool("is_control_domain") && operation is not ("changing_dynamic_range" or "changing_memory_limits" or "changing_static_range"))
        {
            throw new XenApiFailure(XenErrors.OperationNotAllowed, $"{operation} is not allowed on the control domain");
        }

        if (vm.Bool("is_a_template") && operation is "start" or "start_on" or "clean_shutdown" or "hard_shutdown" or "clean_reboot" or "hard_reboot" or "pause" or "unpause")
        {
            throw new XenApiFailure(XenErrors.VmIsTemplate, vm.Ref, operation);
        }

        var current = vm.Map("current_operations");
        if (current.Count > 0)
        {
            var (task, op) = current.First();
            throw new XenApiFailure(XenErrors.OtherOperationInProgress, "VM", vm.Ref, XenValue.ToDbString(op), task);
        }

        var state = vm.String("power_state");
        var allowed = AllowedStates[operation];
        if (!allowed.Contains(state))
        {
            throw new XenApiFailure(XenErrors.VmBadPowerState, vm.Ref,
                string.Join(", ", allowed.Select(s => s.ToLowerInvariant())), state.ToLowerInvariant());
        }
    }

    /// <summary>VM.allowed_operations for a VM in <paramref name="powerState"/> with no operation running.</summary>
    public static object?[] Allowed(string powerState, bool isTemplate, bool isControlDomain)
    {
        if (isControlDomain)
        {
            return [];
        }

        return Implemented
            .Where(op => AllowedStates[op].Contains(powerState))
            .Where(op => !isTemplate || op is not ("start" or "start_on" or "pause" or "unpause"))
            .Cast<object?>()
            .ToArray();
    }

    public static object?[] Allowed(Row vm, string powerState) =>
        Allowed(powerState, vm.Bool("is_a_template"), vm.Bool("is_control_domain"));
}
