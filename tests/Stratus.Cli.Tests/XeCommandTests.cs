using System.Net.Sockets;
using Stratus.Cli.Tests.Fakes;
using Stratus.XenApi;

namespace Stratus.Cli.Tests;

/// <summary>What the commands ask of the API and print, against the fixture world.</summary>
public sealed class XeCommandTests
{
    private const string Web1 = "uuid=" + XeWorld.Web1Uuid;

    [Fact]
    public async Task ParamSet_SeedMemoryStaticMin_CallsSetMemoryStaticMinWithBytes()
    {
        var api = XeWorld.Build();

        var result = await XeRun.AgainstAsync(api, "vm-param-set", Web1, "memory-static-min=2147483648");

        Assert.Equal((0, "", ""), (result.ExitCode, result.Stdout, result.Stderr));
        var call = Assert.Single(api.Calls, c => c.Method.StartsWith("VM.set_", StringComparison.Ordinal));
        Assert.Equal("VM.set_memory_static_min", call.Method);
        Assert.Equal([XeWorld.Web1Ref, 2147483648L], call.Arguments);
    }

    [Fact]
    public async Task ParamSet_MapKey_ReplacesAnExistingKey()
    {
        var api = XeWorld.Build();

        var result = await XeRun.AgainstAsync(api, "vm-param-set", Web1, "other-config:mac_seed=1", "other-config:new=2");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            ["VM.remove_from_other_config", "VM.add_to_other_config", "VM.add_to_other_config"],
            api.Calls.Select(c => c.Method).Where(m => m.Contains("other_config", StringComparison.Ordinal)));
        Assert.Equal("1", ((IReadOnlyDictionary<string, object?>)api.Tables["VM"][XeWorld.Web1Ref]["other_config"]!)["mac_seed"]);
    }

    [Theory]
    [InlineData("tags=a", "Error: Field 'tags' is read-only.\n")]
    [InlineData("tags:x=a", "Error: Cannot param-set on set fields\n")]
    [InlineData("other-config=a", "Error: Field 'other-config' is a map or set. use the 'name:key=value' syntax.\n")]
    [InlineData("no-such-field=1", "Error: Unknown field 'no-such-field'\n")]
    [InlineData("VCPUs-max=two", "Error: Failed to parse parameter 'VCPUs-max': expecting an integer\n")]
    [InlineData("memory-static-max=lots", "Error: Failed to parse field 'memory-static-max': expecting an integer (possibly with suffix KiB, MiB, GiB, TiB), got 'lots'\n")]
    [InlineData("actions-after-crash=explode", "Error: Expected one of 'destroy', 'coredump_and_destroy', 'restart', 'coredump_and_restart', 'preserve', 'rename_restart', got explode\n")]
    public async Task ParamSet_BadRequest_ExplainsAndChangesNothing(string assignment, string stderr)
    {
        var api = XeWorld.Build();

        var result = await XeRun.AgainstAsync(api, "vm-param-set", Web1, assignment);

        Assert.Equal((1, "", stderr), (result.ExitCode, result.Stdout, result.Stderr));
        Assert.DoesNotContain(api.Calls, c => c.Method.StartsWith("VM.set_", StringComparison.Ordinal) || c.Method.StartsWith("VM.add", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ParamAddRemoveClear_SetsAndMaps_UseAddRemoveCalls()
    {
        var api = XeWorld.Build();

        Assert.Equal(0, (await XeRun.AgainstAsync(api, "vm-param-add", Web1, "param-name=tags", "param-key=blue")).ExitCode);
        Assert.Equal(0, (await XeRun.AgainstAsync(api, "vm-param-add", Web1, "param-name=platform", "viridian=true")).ExitCode);
        Assert.Equal(0, (await XeRun.AgainstAsync(api, "vm-param-remove", Web1, "param-name=platform", "param-key=acpi")).ExitCode);
        Assert.Equal(0, (await XeRun.AgainstAsync(api, "vm-param-clear", Web1, "param-name=other-config")).ExitCode);

        Assert.Equal(
            [("VM.add_tags", "blue"), ("VM.add_to_platform", "viridian"), ("VM.remove_from_platform", "acpi"),
             ("VM.remove_from_other_config", "base_template_name"), ("VM.remove_from_other_config", "mac_seed")],
            api.Calls.Where(c => c.Method.Contains("_platform", StringComparison.Ordinal) || c.Method.Contains("tags", StringComparison.Ordinal)
                                 || c.Method.Contains("other_config", StringComparison.Ordinal))
                .Select(c => (c.Method, (string)c.Arguments[1]!)));
    }

    [Fact]
    public async Task ParamRemove_AbsentKey_ErrorWithoutCall()
    {
        var api = XeWorld.Build();

        var result = await XeRun.AgainstAsync(api, "vm-param-remove", Web1, "param-name=other-config", "param-key=nope");

        Assert.Equal((1, "Error: Key nope is not in map\n"), (result.ExitCode, result.Stderr));
    }

    [Fact]
    public async Task ParamGet_UnknownField_MissingParameterInTheGenericForm()
    {
        var result = await XeRun.AgainstAsync(XeWorld.Build(), "vm-param-get", Web1, "param-name=colour");

        Assert.Equal((1, "", "Error code: Missing parameter\nError parameters: colour\n"), (result.ExitCode, result.Stdout, result.Stderr));
    }

    [Theory]
    [InlineData(XeWorld.Web1Uuid, "other-config:base_template_name=Debian Bookworm 12")]
    [InlineData(XeWorld.Web1Uuid, "other-config-mac_seed=0d9a2c1e")]
    [InlineData(XeWorld.Web1Uuid, "tags:contains=prod")]
    [InlineData(XeWorld.Db1Uuid, "name-label=db, primary")]
    [InlineData(XeWorld.Web1Uuid + "," + XeWorld.Db1Uuid, "dom-id=-1", "--all")]
    public async Task List_Filters_SelectRecords(string expected, params string[] filter)
    {
        var result = await XeRun.AgainstAsync(XeWorld.Build(), ["vm-list", "--minimal", .. filter]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(filter.Contains("--all") ? XeWorld.Dom0Uuid + "," + expected + "," + XeWorld.TemplateUuid + "\n" : expected + "\n", result.Stdout);
    }

    [Fact]
    public async Task List_UnknownFilter_Error()
    {
        var result = await XeRun.AgainstAsync(XeWorld.Build(), "vm-list", "colour=blue");

        Assert.Equal((1, "Error: Unknown field 'colour'\n"), (result.ExitCode, result.Stderr));
    }

    [Fact]
    public async Task List_ExpensiveFieldAskedFor_NotComputed()
    {
        var api = XeWorld.Build();

        var result = await XeRun.AgainstAsync(api, "vm-list", "uuid=" + XeWorld.Web1Uuid, "params=uuid,possible-hosts");

        Assert.Contains("possible-hosts ( RO): <expensive field>\n", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(api.Calls, c => c.Method == "VM.get_possible_hosts");
    }

    [Theory]
    [InlineData("template-list", XeWorld.TemplateUuid)]
    [InlineData("pool-list", XeWorld.PoolUuid)]
    [InlineData("pif-list", XeWorld.Pif0Uuid)]
    [InlineData("vif-list", XeWorld.Web1VifUuid)]
    [InlineData("vbd-list", XeWorld.Web1VbdUuid)]
    [InlineData("console-list", XeWorld.Web1ConsoleUuid)]
    [InlineData("message-list", "d758697a-2b3c-4d4e-9f50-718293a4b5c6")]
    [InlineData("task-list", "")]
    public async Task List_EveryClass_MinimalUuids(string command, string expected)
    {
        var result = await XeRun.AgainstAsync(XeWorld.Build(), command, "--minimal");

        Assert.Equal((0, expected + "\n", ""), (result.ExitCode, result.Stdout, result.Stderr));
    }

    [Theory]
    [InlineData("host-param-list", "uuid=" + XeWorld.HostUuid, "memory-total ( RO): 25769803776")]
    [InlineData("sr-param-list", "uuid=" + XeWorld.NfsSrUuid, "PBDs (SRO): " + XeWorld.NfsPbdUuid)]
    [InlineData("pool-param-list", "uuid=" + XeWorld.PoolUuid, "default-SR ( RW): " + XeWorld.NfsSrUuid)]
    [InlineData("pif-param-list", "uuid=" + XeWorld.Pif0Uuid, "network-name-label ( RO): Pool-wide network associated with eth0")]
    [InlineData("vdi-param-list", "uuid=" + XeWorld.Web1VdiUuid, "vbd-uuids (SRO): " + XeWorld.Web1VbdUuid)]
    [InlineData("vbd-param-list", "uuid=" + XeWorld.Web1VbdUuid, "vdi-name-label ( RO): web1 root")]
    [InlineData("console-param-list", "uuid=" + XeWorld.Web1ConsoleUuid, "protocol ( RO): RFB")]
    [InlineData("network-param-list", "uuid=" + XeWorld.Net0Uuid, "VIF-uuids (SRO): " + XeWorld.Web1VifUuid)]
    public async Task ParamList_EveryClass_ShowsDerivedFields(string command, string uuid, string line)
    {
        var result = await XeRun.AgainstAsync(XeWorld.Build(), command, uuid);

        Assert.Equal((0, ""), (result.ExitCode, result.Stderr));
        Assert.Contains(line, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shutdown_SeveralVmsWithoutMultiple_Refuses()
    {
        var api = XeWorld.Build();

        var result = await XeRun.AgainstAsync(api, "vm-shutdown");

        Assert.Equal((1, "Error: Multiple matches VMs found. --multiple required to complete the operation\n"), (result.ExitCode, result.Stderr));
        Assert.DoesNotContain(api.Calls, c => c.Method.Contains("shutdown", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Shutdown_MultipleWithOneFailure_ReportsItOnStdout()
    {
        var api = XeWorld.Build();
        api.Handlers["VM.clean_shutdown"] = args => (string)args[0]! == XeWorld.Db1Ref
            ? throw new XenApiFailure(XenErrors.VmBadPowerState, XeWorld.Db1Ref, "running", "halted")
            : "";

        var result = await XeRun.AgainstAsync(api, "vm-shutdown", "--multiple");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"operation failed on {XeWorld.Db1Uuid}: You attempted an operation on a VM that was not in an appropriate power state at the time; for example, you attempted to start a VM that was already running. The parameters returned are the VM's handle, and the expected and actual VM state at the time of the call.\nvm: {XeWorld.Db1Uuid} (db, primary)\nexpected: running\nactual: halted\n",
            result.Stdout);
        Assert.Contains(api.Calls, c => c.Method == "VM.clean_shutdown" && (string)c.Arguments[0]! == XeWorld.Web1Ref);
    }

    [Fact]
    public async Task Shutdown_Force_HardShutdownThroughATask()
    {
        var api = XeWorld.Build();
        var status = "pending";
        api.Handlers["Async.VM.hard_shutdown"] = _ => "OpaqueRef:task-1";
        api.Handlers["task.get_status"] = _ => status;
        api.Handlers["event.from"] = _ =>
        {
            status = "success";
            return XeWorld.Map(("events", Array.Empty<object?>()), ("token", "1"), ("valid_ref_counts", XeWorld.Map()));
        };
        api.Handlers["task.get_result"] = _ => "";
        api.Handlers["task.destroy"] = _ => "";

        var result = await XeRun.AgainstAsync(api, "vm-shutdown", "vm=web1", "--force");

        Assert.Equal((0, ""), (result.ExitCode, result.Stderr));
        Assert.Equal(["Async.VM.hard_shutdown", "task.get_status", "event.from", "task.get_status", "task.get_status", "task.get_result", "task.destroy"],
            api.Calls.Select(c => c.Method).Where(m => m.StartsWith("Async", StringComparison.Ordinal) || m.StartsWith("task", StringComparison.Ordinal) || m == "event.from"));
        Assert.Equal(new object?[] { "task/OpaqueRef:task-1" }, api.Calls.Single(c => c.Method == "event.from").Arguments[0]);
    }

    [Fact]
    public async Task Shutdown_TaskFails_ItsErrorIsReported()
    {
        var api = XeWorld.Build();
        api.Handlers["Async.VM.clean_shutdown"] = _ => "OpaqueRef:task-2";
        api.Handlers["task.get_status"] = _ => "failure";
        api.Handlers["task.get_error_info"] = _ => new object?[] { "VM_BAD_POWER_STATE", XeWorld.Web1Ref, "running", "halted" };
        api.Handlers["task.destroy"] = _ => "";

        var result = await XeRun.AgainstAsync(api, "vm-shutdown", "vm=web1");

        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith($"vm: {XeWorld.Web1Uuid} (web1)\nexpected: running\nactual: halted\n", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(api.Calls, c => c.Method == "task.destroy");
    }

    [Fact]
    public async Task Install_ByTemplateName_ClonesRewritesDisksAndProvisions()
    {
        var api = XeWorld.Build();
        const string newRef = "OpaqueRef:vm-new";
        const string newUuid = "e8697a8b-3c4d-4e5f-8061-728394a5b6c7";
        api.Handlers["VM.clone"] = args =>
        {
            var copy = new Dictionary<string, object?>(api.Tables["VM"][(string)args[0]!]) { ["uuid"] = newUuid, ["name_label"] = args[1] };
            copy["other_config"] = new Dictionary<string, object?>((IReadOnlyDictionary<string, object?>)copy["other_config"]!);
            api.Add("VM", newRef, copy);
            return newRef;
        };
        api.Handlers["VM.provision"] = _ => "";

        var result = await XeRun.AgainstAsync(api, "vm-install", "template=Debian Bookworm 12", "new-name-label=web2");

        Assert.Equal((0, newUuid + "\n", ""), (result.ExitCode, result.Stdout, result.Stderr));
        var vm = api.Tables["VM"][newRef];
        Assert.Equal("Installed via xe CLI", vm["name_description"]);
        Assert.Equal(
            $"<provision><disk device=\"0\" size=\"10737418240\" sr=\"{XeWorld.NfsSrUuid}\" bootable=\"true\" type=\"system\"/></provision>",
            ((IReadOnlyDictionary<string, object?>)vm["other_config"]!)["disks"]);
        Assert.Equal(["VM.clone", "VM.provision"], api.Calls.Select(c => c.Method).Where(m => m is "VM.clone" or "VM.copy" or "VM.provision"));
    }

    [Fact]
    public async Task Install_WithSr_CopiesAndDestroysTheVmWhenProvisionFails()
    {
        var api = XeWorld.Build();
        api.Handlers["VM.copy"] = args =>
        {
            api.Add("VM", "OpaqueRef:vm-new", XeWorld.Record(Stratus.XenApi.Schema.XenModel.VM, ("uuid", "f9708b9c-4d5e-4f60-9172-8394a5b6c7d8")));
            return "OpaqueRef:vm-new";
        };
        api.Handlers["VM.provision"] = _ => throw new XenApiFailure(XenErrors.SrFull, "10737418240", "0");
        api.Handlers["VM.destroy"] = _ => "";

        var result = await XeRun.AgainstAsync(api, "vm-install", "template-uuid=" + XeWorld.TemplateUuid, "new-name-label=web2", "sr-uuid=" + XeWorld.LocalSrUuid);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("The SR is full.", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(XeWorld.LocalSrRef, api.Calls.Single(c => c.Method == "VM.copy").Arguments[2]);
        Assert.Contains(api.Calls, c => c.Method == "VM.destroy" && (string)c.Arguments[0]! == "OpaqueRef:vm-new");
    }

    [Fact]
    public async Task Install_NotATemplate_Refused()
    {
        var result = await XeRun.AgainstAsync(XeWorld.Build(), "vm-install", "template-uuid=" + XeWorld.Web1Uuid, "new-name-label=x");

        Assert.Equal((1, "Error: Can only install from templates\n"), (result.ExitCode, result.Stderr));
    }

    [Fact]
    public async Task Uninstall_Force_DestroysVmAndOwnedDisks()
    {
        var api = XeWorld.Build();
        api.Handlers["VM.hard_shutdown"] = _ => "";
        api.Handlers["VM.destroy"] = _ => "";
        api.Handlers["VDI.destroy"] = _ => "";

        var result = await XeRun.AgainstAsync(api, "vm-uninstall", "vm=web1", "--force");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            $"The following items are about to be destroyed\nVM : {XeWorld.Web1Uuid} (web1)\nVDI: {XeWorld.Web1VdiUuid} (web1 root) \nAll objects destroyed\n",
            result.Stdout);
        Assert.Equal(["VM.hard_shutdown", "VM.destroy", "VDI.destroy"],
            api.Calls.Select(c => c.Method).Where(m => m is "VM.hard_shutdown" or "VM.destroy" or "VDI.destroy"));
    }

    [Fact]
    public async Task Uninstall_UserDeclines_NothingDestroyed()
    {
        var api = XeWorld.Build();

        var result = await XeRun.WithStdinAsync(api, "no\n", "vm-uninstall", "vm=web1");

        Assert.Equal(0, result.ExitCode);
        Assert.EndsWith("Type 'yes' to continue\nAborted (you typed: 'no')\n", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(api.Calls, c => c.Method.EndsWith(".destroy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SrCreate_Nfs_SendsDeviceConfigAndPrintsUuidEvenWhenMinimal()
    {
        var api = XeWorld.Build();
        api.Handlers["SR.create"] = _ =>
        {
            api.Add("SR", "OpaqueRef:sr-new", XeWorld.Record(Stratus.XenApi.Schema.XenModel.SR, ("uuid", "0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9")));
            return "OpaqueRef:sr-new";
        };

        var result = await XeRun.AgainstAsync(api, "sr-create", "type=nfs", "name-label=NFS VMs", "shared=true", "content-type=user",
            "device-config:server=10.0.0.5", "device-config:serverpath=/export/vms", "--minimal");

        Assert.Equal((0, "0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9\n\n", ""), (result.ExitCode, result.Stdout, result.Stderr));
        var args = api.Calls.Single(c => c.Method == "SR.create").Arguments;
        Assert.Equal(XeWorld.HostRef, args[0]);
        Assert.Equal(XeWorld.Map(("server", "10.0.0.5"), ("serverpath", "/export/vms")), args[1]);
        Assert.Equal(new object?[] { 0L, "NFS VMs", "", "nfs", "user", true }, args.Skip(2).Take(6));
    }

    [Fact]
    public async Task VdiCreate_SizeSuffix_CreatesUserDisk()
    {
        var api = XeWorld.Build();
        api.Handlers["VDI.create"] = _ =>
        {
            api.Add("VDI", "OpaqueRef:vdi-new", XeWorld.Record(Stratus.XenApi.Schema.XenModel.VDI, ("uuid", "1b2c3d4e-5f60-4182-93a4-b5c6d7e8f90a")));
            return "OpaqueRef:vdi-new";
        };

        var result = await XeRun.AgainstAsync(api, "vdi-create", "sr-uuid=" + XeWorld.LocalSrUuid, "name-label=data", "virtual-size=5GiB");

        Assert.Equal((0, "1b2c3d4e-5f60-4182-93a4-b5c6d7e8f90a\n"), (result.ExitCode, result.Stdout));
        var record = (IReadOnlyDictionary<string, object?>)api.Calls.Single(c => c.Method == "VDI.create").Arguments[0]!;
        Assert.Equal((XeWorld.LocalSrRef, 5368709120L, "user"), (record["SR"], record["virtual_size"], record["type"]));
    }

    [Fact]
    public async Task HostComputeFreeMemory_PrintsTheNumber()
    {
        var api = XeWorld.Build();
        api.Handlers["host.compute_free_memory"] = _ => "12884901888";

        var result = await XeRun.AgainstAsync(api, "host-compute-free-memory");

        Assert.Equal((0, "12884901888\n"), (result.ExitCode, result.Stdout));
    }

    [Fact]
    public async Task Destroy_ControlDomain_RefusedClientSide()
    {
        var result = await XeRun.AgainstAsync(XeWorld.Build(), "vm-destroy", "uuid=" + XeWorld.Dom0Uuid);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("You attempted an operation that was not allowed.\nreason: You cannot destroy a control domain via the CLI\n", result.Stderr);
    }

    [Theory]
    [InlineData("root", "Authentication failed\nFor usage run: 'xe help'\n")]
    [InlineData("", "Username/password must be specified\nFor usage run: 'xe help'\n")]
    public async Task Login_Rejected_UsageStyleMessage(string user, string stderr)
    {
        var result = await XeRun.FailingLoginAsync(new XenApiFailure(XenErrors.SessionAuthenticationFailed, user, "Authentication failure"), "vm-list");

        Assert.Equal((1, "", stderr), (result.ExitCode, result.Stdout, result.Stderr));
    }

    [Fact]
    public async Task Login_ConnectionRefused_NewclisMessage()
    {
        var refused = new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused));

        var result = await XeRun.FailingLoginAsync(refused, "vm-list");

        Assert.Equal((1, "Error: Connection refused (calling connect )\n"), (result.ExitCode, result.Stderr));
    }

    [Fact]
    public async Task Usage_NoCommand_UsageOnStderrExitZero()
    {
        var result = await XeRun.AgainstAsync(XeWorld.Build());

        Assert.Equal((0, ""), (result.ExitCode, result.Stdout));
        Assert.StartsWith("Usage:\n  xe <command>\n", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, result.Connections);
    }

    [Fact]
    public async Task Help_OneCommand_RecordWithSelectorsExplained()
    {
        var result = await XeRun.AgainstAsync(XeWorld.Build(), "help", "vm-reboot");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith(
            "command name            : vm-reboot\n        reqd params     : \n        optional params : force, <vm-selectors>\n        description     : Reboot the selected VM(s). VMs can be specified",
            result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("the operation will be performed on all VMs.\n\n\n", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, result.Connections);
    }

    [Fact]
    public async Task MissingRequiredParameter_NoConnectionMade()
    {
        var result = await XeRun.AgainstAsync(XeWorld.Build(), "sr-create", "type=nfs");

        Assert.Equal((1, "Required parameter not found: name-label\nFor usage run: 'xe help'\n", 0), (result.ExitCode, result.Stderr, result.Connections));
    }
}
