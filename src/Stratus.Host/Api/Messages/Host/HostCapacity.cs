using Stratus.Host.Database;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Api.Messages.Host;

/// <summary>
/// The host's memory and CPU accounting. A VM holds its <c>memory_static_max</c> (plus overhead) from the moment
/// a start is scheduled until it halts: Stratus does not overcommit RAM, so a guest can always balloon back up to
/// its maximum. The control domain holds the memory kept for the host itself.
/// </summary>
internal static class HostCapacity
{
    /// <summary>What a VM reserves while it runs or starts.</summary>
    public static long Reservation(Row vm) => vm.Int("memory_static_max") + vm.Int("memory_overhead");

    /// <summary>host.compute_free_memory: total minus the control domain and every VM resident or scheduled here.</summary>
    public static long FreeMemory(DbTransaction tx, string hostRef)
    {
        var host = tx.Get(XenModel.Host, hostRef);
        var metrics = tx.Get(XenModel.HostMetrics, host.String("metrics"));
        var used = 0L;
        foreach (var vm in tx.All(XenModel.VM))
        {
            if (vm.Bool("is_control_domain"))
            {
                if (vm.String("resident_on") == hostRef)
                {
                    used += vm.Int("memory_static_max");
                }

                continue;
            }

            var here = vm.String("resident_on") == hostRef && vm.String("power_state") != "Halted";
            if (here || vm.String("scheduled_to_be_resident_on") == hostRef)
            {
                used += Reservation(vm);
            }
        }

        return metrics.Int("memory_total") - used;
    }

    /// <summary>Stores the current free memory in host_metrics.memory_free (what host-list and UIs show).</summary>
    public static void Refresh(DbTransaction tx, string hostRef, DateTime now)
    {
        var host = tx.Get(XenModel.Host, hostRef);
        tx.Update(XenModel.HostMetrics, host.String("metrics"),
            ("memory_free", Math.Max(0, FreeMemory(tx, hostRef))),
            ("last_updated", now));
    }

    /// <summary>Number of physical CPUs (host_cpu rows).</summary>
    public static int PhysicalCpus(DbTransaction tx, string hostRef) => tx.Get(XenModel.Host, hostRef).Set("host_CPUs").Count;

    /// <summary>
    /// The start-time checks of xapi's assert_can_boot_here: memory constraints are sane, the VCPU counts fit,
    /// the host is enabled and has the free memory the VM reserves.
    /// </summary>
    public static void AssertCanBoot(DbTransaction tx, Row vm, string hostRef)
    {
        var staticMin = vm.Int("memory_static_min");
        var dynamicMin = vm.Int("memory_dynamic_min");
        var dynamicMax = vm.Int("memory_dynamic_max");
        var staticMax = vm.Int("memory_static_max");
        if (staticMax < staticMin || dynamicMax < dynamicMin || dynamicMin < staticMin || dynamicMax > staticMax)
        {
            throw new XenApiFailure(XenErrors.MemoryConstraintViolation);
        }

        var atStartup = vm.Int("VCPUs_at_startup");
        var max = vm.Int("VCPUs_max");
        if (atStartup < 1 || max < 1)
        {
            throw new XenApiFailure(XenErrors.InvalidValue, "VCPUs_at_startup", atStartup.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (atStartup > max)
        {
            throw new XenApiFailure(XenErrors.ValueNotSupported, "VCPUs_at_startup",
                atStartup.ToString(System.Globalization.CultureInfo.InvariantCulture), "value greater than VCPUs_max");
        }

        var pcpus = PhysicalCpus(tx, hostRef);
        if (atStartup > pcpus)
        {
            throw new XenApiFailure(XenErrors.HostNotEnoughPcpus,
                atStartup.ToString(System.Globalization.CultureInfo.InvariantCulture), pcpus.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var host = tx.Get(XenModel.Host, hostRef);
        if (!host.Bool("enabled"))
        {
            throw new XenApiFailure(XenErrors.HostDisabled, hostRef);
        }

        var needed = Reservation(vm);
        var free = FreeMemory(tx, hostRef);
        if (needed > free)
        {
            throw new XenApiFailure(XenErrors.HostNotEnoughFreeMemory,
                needed.ToString(System.Globalization.CultureInfo.InvariantCulture), free.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
