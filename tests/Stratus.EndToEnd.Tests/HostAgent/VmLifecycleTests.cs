using Stratus.XenApi;
using Stratus.XenApi.Client;
using Stratus.XenApi.Wire;
using static Stratus.EndToEnd.Tests.HostAgent.Api;

namespace Stratus.EndToEnd.Tests.HostAgent;

/// <summary>Contract §2.3 lifecycle and §2.7 Async tasks, on the sim backend over both wires.</summary>
public sealed class VmLifecycleTests(AgentFixture agent) : IClassFixture<AgentFixture>
{
    [Theory]
    [MemberData(nameof(BothWires), MemberType = typeof(Api))]
    public async Task PowerCycle_EveryTransition_AndBadPowerStateWhereForbidden(XenTransport transport)
    {
        await using var s = await agent.LoginAsync(transport, Ct);
        var vm = await s.CreateVm("cycle");
        var host = (string)List(await s.Call("host.get_all"))[0]!;
        Assert.Equal("Halted", await s.Field("VM", vm, "power_state"));
        Assert.Equal(-1L, Int(await s.Field("VM", vm, "domid")));
        await AssertBad(s, vm, "running", "halted", "VM.clean_shutdown");
        await AssertBad(s, vm, "running", "halted", "VM.clean_reboot");
        await AssertBad(s, vm, "paused, running", "halted", "VM.hard_reboot");

        await s.Call("VM.start", vm, false, false);
        var running = await s.Record("VM", vm);
        Assert.Equal("Running", running["power_state"]);
        Assert.Equal(host, running["resident_on"]);
        Assert.True(Int(running["domid"]) > 0);
        Assert.Contains("clean_shutdown", List(running["allowed_operations"]));
        Assert.DoesNotContain("start", List(running["allowed_operations"]));
        Assert.Contains(vm, List(await s.Field("host", host, "resident_VMs")));
        await AssertBad(s, vm, "halted", "running", "VM.start", false, false);
        await AssertBad(s, vm, "halted, suspended", "running", "VM.destroy");
        await AssertBad(s, vm, "halted", "running", "VM.clone", "x");

        await s.Call("VM.clean_reboot", vm);
        await s.Call("VM.hard_reboot", vm);
        Assert.Equal("Running", await s.Field("VM", vm, "power_state"));
        await s.Call("VM.pause", vm);
        Assert.Equal("Paused", await s.Field("VM", vm, "power_state"));
        await AssertBad(s, vm, "running", "paused", "VM.clean_shutdown");
        await s.Call("VM.unpause", vm);
        await s.Call("VM.clean_shutdown", vm);
        var halted = await s.Record("VM", vm);
        Assert.Equal("Halted", halted["power_state"]);
        Assert.Equal(XenRef.Null, halted["resident_on"]);
        Assert.Equal(-1L, Int(halted["domid"]));

        await s.Call("VM.start_on", vm, host, false, false);
        await s.Call("VM.hard_shutdown", vm);
        await s.Call("VM.start", vm, true, false);
        Assert.Equal("Paused", await s.Field("VM", vm, "power_state"));
        await s.Call("VM.hard_shutdown", vm);
        await s.Call("VM.destroy", vm);
        Assert.Equal("HANDLE_INVALID", (await s.Fails("VM.get_record", vm)).Code);
    }

    [Fact]
    public async Task Destroy_RemovesVbdsAndVifsButKeepsVdis()
    {
        await using var s = await agent.LoginAsync(XenTransport.JsonRpc, Ct);
        var vm = await s.CreateVm("doomed");
        var vdi = await s.CreateVdi(await s.DefaultSr(), GiB);
        var vbd = await s.CreateVbd(vm, vdi);
        await s.Call("VM.destroy", vm);
        Assert.Equal("HANDLE_INVALID", (await s.Fails("VBD.get_record", vbd)).Code);
        Assert.Empty(List(await s.Field("VDI", vdi, "VBDs")));
    }

    [Fact]
    public async Task Templates_CloneIsTemplateProvisionCreatesDisksAndStartIsRefused()
    {
        await using var s = await agent.LoginAsync(XenTransport.XmlRpc, Ct);
        var template = (string)List(await s.Call("VM.get_by_name_label", "Other install media"))[0]!;
        Assert.Equal("VM_IS_TEMPLATE", (await s.Fails("VM.start", template, false, false)).Code);
        var clone = await s.Ref("VM.clone", template, "from-template");
        Assert.Equal(true, await s.Field("VM", clone, "is_a_template"));
        Assert.Equal(false, await s.Field("VM", clone, "is_default_template"));
        Assert.NotEqual(await s.Field("VM", template, "uuid"), await s.Field("VM", clone, "uuid"));
        await s.Call("VM.provision", clone);
        var provisioned = await s.Record("VM", clone);
        Assert.Equal(false, provisioned["is_a_template"]);
        Assert.False(Map(provisioned["other_config"]).ContainsKey("disks"));
        var vbd = await s.Record("VBD", (string)List(provisioned["VBDs"]).Single()!);
        Assert.Equal("0", vbd["userdevice"]);
        Assert.Equal(8589934592L, Int(await s.Field("VDI", (string)vbd["VDI"]!, "virtual_size")));
        await s.Call("VM.start", clone, false, false);
        Assert.Equal("xvda", await s.Field("VBD", (string)List(provisioned["VBDs"]).Single()!, "device"));
        Assert.Equal(true, await s.Field("VBD", (string)List(provisioned["VBDs"]).Single()!, "currently_attached"));
        await s.Call("VM.hard_shutdown", clone);
    }

    [Fact]
    public async Task CloneAndCopy_DuplicateDisksAndNicsWithNewMacs()
    {
        await using var s = await agent.LoginAsync(XenTransport.JsonRpc, Ct);
        var sr = await s.DefaultSr();
        var vm = await s.CreateVm("original");
        var vdi = await s.CreateVdi(sr, GiB);
        await s.CreateVbd(vm, vdi, "0");
        var network = (string)List(await s.Call("network.get_all"))[0]!;
        var vif = await s.Ref("VIF.create", new Dictionary<string, object?> { ["device"] = "0", ["network"] = network, ["VM"] = vm, ["MAC"] = "", ["MTU"] = 1500L });
        foreach (var (method, args) in new (string, object?[])[] { ("VM.clone", [vm, "clone"]), ("VM.copy", [vm, "copy", sr]), ("VM.copy", [vm, "copy-same", XenRef.Null]) })
        {
            var copy = await s.Ref(method, args);
            var record = await s.Record("VM", copy);
            Assert.Equal("Halted", record["power_state"]);
            var copyVdi = (string)(await s.Record("VBD", (string)List(record["VBDs"]).Single()!))["VDI"]!;
            Assert.NotEqual(vdi, copyVdi);
            Assert.Equal(GiB, Int(await s.Field("VDI", copyVdi, "virtual_size")));
            var copyVif = await s.Record("VIF", (string)List(record["VIFs"]).Single()!);
            Assert.NotEqual(await s.Field("VIF", vif, "MAC"), copyVif["MAC"]);
            Assert.Equal(network, copyVif["network"]);
        }
    }

    [Theory]
    [MemberData(nameof(BothWires), MemberType = typeof(Api))]
    public async Task Async_TaskCarriesProgressAndXmlRpcResultOrErrorInfo(XenTransport transport)
    {
        await using var s = await agent.LoginAsync(transport, Ct);
        var vm = await s.CreateVm("async");
        var task = await s.Ref("Async.VM.clone", vm, "async-clone");
        Assert.StartsWith("OpaqueRef:", task, StringComparison.Ordinal);
        var done = await s.WaitTask(task);
        Assert.Equal("success", done["status"]);
        Assert.Equal(1.0, Convert.ToDouble(done["progress"], System.Globalization.CultureInfo.InvariantCulture));
        // task.result is the XML-RPC <value> of the return value, on both wires (npm xen-api parses it so).
        var clone = (string)XmlRpcReader.ReadValue((string)done["result"]!)!;
        Assert.Equal("async-clone", await s.Field("VM", clone, "name_label"));
        Assert.Empty(List(done["error_info"]));
        Assert.NotEqual("19700101T00:00:00Z", done["finished"] is DateTime finished ? XenValue.FormatDateTime(finished) : done["finished"]);

        var failing = await s.WaitTask(await s.Ref("Async.VM.clean_shutdown", vm));
        Assert.Equal("failure", failing["status"]);
        Assert.Equal(["VM_BAD_POWER_STATE", vm, "running", "halted"], List(failing["error_info"]));
        Assert.Equal("", failing["result"]);

        var voidTask = await s.WaitTask(await s.Ref("Async.VM.start", vm, false, false));
        Assert.Equal("success", voidTask["status"]);
        Assert.Equal("", voidTask["result"]);
        Assert.Equal("Running", await s.Field("VM", vm, "power_state"));
        await s.Call("task.destroy", task);
        Assert.Equal("HANDLE_INVALID", (await s.Fails("task.get_record", task)).Code);
        // Errors found before the task exists come back synchronously.
        Assert.Equal("MESSAGE_PARAMETER_COUNT_MISMATCH", (await s.Fails("Async.VM.start", vm)).Code);
        await s.Call("VM.hard_shutdown", vm);
    }

    [Fact]
    public async Task Async_SlowStart_ReportsPendingThenSuccessAndCanBeCancelled()
    {
        await using var slow = new SlowAgentFixture();
        await slow.InitializeAsync();
        await using var s = await slow.LoginAsync(XenTransport.JsonRpc, Ct);
        var vm = await s.CreateVm("slow");
        var task = await s.Ref("Async.VM.start", vm, false, false);
        var pending = await s.Record("task", task);
        Assert.Equal("pending", pending["status"]);
        Assert.Contains("cancel", List(pending["allowed_operations"]));
        // Once the task has begun (as in xapi, the checks run inside the task), the VM is busy with it.
        var token = "";
        while (Map(await s.Field("VM", vm, "current_operations")).Count == 0 && (string)(await s.Field("task", task, "status"))! == "pending")
        {
            token = (string)Map(await s.Call("event.from", new object?[] { $"vm/{vm}" }, token, 5.0))["token"]!;
        }

        if ((string)(await s.Field("task", task, "status"))! == "pending")
        {
            Assert.Equal(task, Assert.Single(Map(await s.Field("VM", vm, "current_operations"))).Key);
            Assert.Equal("OTHER_OPERATION_IN_PROGRESS", (await s.Fails("VM.start", vm, false, false)).Code);
        }

        Assert.Equal("success", (await s.WaitTask(task))["status"]);

        var shutdown = await s.Ref("Async.VM.hard_shutdown", vm);
        await s.Call("task.cancel", shutdown);
        var cancelled = await s.WaitTask(shutdown);
        Assert.Equal("cancelled", cancelled["status"]);
        Assert.Equal(["TASK_CANCELLED", shutdown], List(cancelled["error_info"]));
        Assert.Equal("Running", await s.Field("VM", vm, "power_state"));
    }

    private static async Task AssertBad(XenSession s, string vm, string expected, string actual, string method, params object?[] extra)
    {
        var failure = await s.Fails(method, [vm, .. extra]);
        Assert.Equal(["VM_BAD_POWER_STATE", vm, expected, actual], failure.Description);
    }

    private sealed class SlowAgentFixture : AgentFixture
    {
        protected override string[] Arguments => ["--sim-start-delay", "1s", "--sim-stop-delay", "1s"];
    }
}
