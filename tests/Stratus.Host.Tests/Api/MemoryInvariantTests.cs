using Stratus.Host.Api.Messages.Vm;
using Stratus.XenApi;

namespace Stratus.Host.Tests.Api;

/// <summary>VM memory: static_min ≤ dynamic_min ≤ dynamic_max ≤ static_max after every call (vm_memory_constraints.ml).</summary>
public sealed class MemoryInvariantTests
{
    private const long GiB = 1L << 30;

    [Fact]
    public void AssertOrder_EveryOrderingOfFourValues_PassesExactlyWhenSorted()
    {
        long[] values = [0, GiB, 2 * GiB, 3 * GiB];
        var checkedCount = 0;
        foreach (var sMin in values)
        {
            foreach (var dMin in values)
            {
                foreach (var dMax in values)
                {
                    foreach (var sMax in values)
                    {
                        var ordered = sMin <= dMin && dMin <= dMax && dMax <= sMax;
                        if (ordered)
                        {
                            VmMemoryMessages.AssertOrder(sMin, dMin, dMax, sMax);
                        }
                        else
                        {
                            var failure = Assert.Throws<XenApiFailure>(() => VmMemoryMessages.AssertOrder(sMin, dMin, dMax, sMax));
                            Assert.Equal(["MEMORY_CONSTRAINT_VIOLATION_ORDER"], failure.Description);
                        }

                        checkedCount++;
                    }
                }
            }
        }

        Assert.Equal(256, checkedCount);
    }

    [Fact]
    public async Task Setters_RandomSequences_KeepTheInvariantAndFailuresChangeNothing()
    {
        // Property-style: many random sequences of every memory setter on a halted VM. After each call the order holds;
        // a call that fails leaves all four values as they were, and fails with the ORDER code.
        await using var host = await InProcessHost.StartAsync(null, TestContext.Current.CancellationToken);
        var vm = await host.CreateVmAsync("mem", 2 * GiB, staticMin: GiB / 2);
        var random = new Random(20250131);
        long Pick() => random.Next(0, 9) * (GiB / 2);
        var setters = new (string Method, Func<object?[]> Args)[]
        {
            ("VM.set_memory_static_min", () => [Pick()]),
            ("VM.set_memory_static_max", () => [Pick()]),
            ("VM.set_memory_static_range", () => [Pick(), Pick()]),
            ("VM.set_memory_dynamic_min", () => [Pick()]),
            ("VM.set_memory_dynamic_max", () => [Pick()]),
            ("VM.set_memory_dynamic_range", () => [Pick(), Pick()]),
            ("VM.set_memory_limits", () => [Pick(), Pick(), Pick(), Pick()]),
            ("VM.set_memory", () => [Pick()]),
        };
        var succeeded = 0;
        var failed = 0;
        for (var i = 0; i < 600; i++)
        {
            var (method, args) = setters[random.Next(setters.Length)];
            var arguments = args();
            var before = await MemoryAsync(host, vm);
            try
            {
                await host.CallAsync(method, [vm, .. arguments]);
                succeeded++;
            }
            catch (XenApiFailure failure)
            {
                Assert.Equal("MEMORY_CONSTRAINT_VIOLATION_ORDER", failure.Code);
                Assert.Equal(before, await MemoryAsync(host, vm));
                failed++;
            }

            var (sMin, dMin, dMax, sMax) = await MemoryAsync(host, vm);
            Assert.True(sMin <= dMin && dMin <= dMax && dMax <= sMax, $"{method}({string.Join(", ", arguments)}) left {sMin} {dMin} {dMax} {sMax}");
        }

        Assert.True(succeeded > 50 && failed > 50, $"{succeeded} calls succeeded, {failed} failed: the sequence did not exercise both");
    }

    [Fact]
    public async Task SetMemoryLimits_ArgumentOrderIsStaticMinStaticMaxDynamicMinDynamicMax()
    {
        await using var host = await InProcessHost.StartAsync(null, TestContext.Current.CancellationToken);
        var vm = await host.CreateVmAsync("limits", GiB);
        await host.CallAsync("VM.set_memory_limits", vm, GiB / 2, 4 * GiB, GiB, 2 * GiB);
        Assert.Equal((GiB / 2, GiB, 2 * GiB, 4 * GiB), await MemoryAsync(host, vm));
        await host.CallAsync("VM.set_memory", vm, 3 * GiB);
        Assert.Equal((GiB / 2, 3 * GiB, 3 * GiB, 3 * GiB), await MemoryAsync(host, vm));
    }

    [Fact]
    public async Task StaticSetters_RunningVm_AreBadPowerStateDynamicAreAllowed()
    {
        await using var host = await InProcessHost.StartAsync(null, TestContext.Current.CancellationToken);
        var vm = await host.CreateVmAsync("running", 2 * GiB, staticMin: GiB / 2);
        await host.CallAsync("VM.start", vm, false, false);
        foreach (var (method, args) in new (string, object?[])[]
        {
            ("VM.set_memory_static_max", [4 * GiB]),
            ("VM.set_memory_static_min", [GiB / 4]),
            ("VM.set_memory_static_range", [GiB / 4, 4 * GiB]),
            ("VM.set_memory_limits", [GiB / 4, 4 * GiB, GiB, GiB]),
            ("VM.set_memory", [GiB]),
        })
        {
            var failure = await Assert.ThrowsAsync<XenApiFailure>(() => host.CallAsync(method, [vm, .. args]));
            Assert.Equal(["VM_BAD_POWER_STATE", vm, "halted", "running"], failure.Description);
        }

        await host.CallAsync("VM.set_memory_dynamic_range", vm, GiB, GiB + (GiB / 2));
        Assert.Equal((GiB / 2, GiB, GiB + (GiB / 2), 2 * GiB), await MemoryAsync(host, vm));
        Assert.Equal("MEMORY_CONSTRAINT_VIOLATION_ORDER",
            (await Assert.ThrowsAsync<XenApiFailure>(() => host.CallAsync("VM.set_memory_dynamic_max", vm, 3 * GiB))).Code);
    }

    [Fact]
    public async Task ControlDomain_StaysPinned_MaxpinViolation()
    {
        await using var host = await InProcessHost.StartAsync(null, TestContext.Current.CancellationToken);
        var dom0 = host.Identity.ControlDomainRef;
        var memory = (long)(await host.CallAsync("VM.get_memory_static_max", dom0))!;
        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => host.CallAsync("VM.set_memory_dynamic_range", dom0, memory / 2, memory));
        Assert.Equal(["MEMORY_CONSTRAINT_VIOLATION_MAXPIN", "control domain"], failure.Description);
    }

    private static async Task<(long StaticMin, long DynamicMin, long DynamicMax, long StaticMax)> MemoryAsync(InProcessHost host, string vm)
    {
        var r = await host.RecordAsync("VM", vm);
        return ((long)r["memory_static_min"]!, (long)r["memory_dynamic_min"]!, (long)r["memory_dynamic_max"]!, (long)r["memory_static_max"]!);
    }
}
