using System.Globalization;
using Stratus.XenApi;
using Stratus.XenApi.Client;
using static Stratus.EndToEnd.Tests.HostAgent.Api;

namespace Stratus.EndToEnd.Tests.HostAgent;

/// <summary>Contract §2.4 and §2.5: storage bookkeeping kept true, and networks, on the sim backend.</summary>
public sealed class StorageAndNetworkTests(AgentFixture agent) : IClassFixture<AgentFixture>
{
    private static readonly Dictionary<string, object?> NoMap = [];

    [Theory]
    [InlineData("ext", "user", "path", "/srv/vms")]
    [InlineData("nfs", "user", "server", "10.0.0.5")]
    [InlineData("lvm", "user", "device", "/dev/sdb")]
    [InlineData("iso", "iso", "location", "/srv/isos")]
    public async Task SrCreate_EachType_HasAPluggedPbdWithDeviceConfig(string type, string content, string key, string value)
    {
        await using var s = await agent.LoginAsync(XenTransport.XmlRpc, Ct);
        var host = (string)List(await s.Call("host.get_all"))[0]!;
        var config = new Dictionary<string, object?> { [key] = value };
        if (type == "nfs")
        {
            config["serverpath"] = "/export/vms";
        }

        var sr = await s.Ref("SR.create", host, config, (8 * GiB).ToString(CultureInfo.InvariantCulture), $"{type} SR", "", type, content, type == "nfs", NoMap);
        var record = await s.Record("SR", sr);
        Assert.Equal(type, record["type"]);
        Assert.Equal(content, record["content_type"]);
        Assert.Equal(8 * GiB, Int(record["physical_size"]));
        Assert.Equal(0L, Int(record["physical_utilisation"]));
        var pbd = await s.Record("PBD", (string)List(record["PBDs"]).Single()!);
        Assert.Equal(true, pbd["currently_attached"]);
        Assert.Equal(host, pbd["host"]);
        Assert.Equal(value, Map(pbd["device_config"])[key]);
        Assert.Contains(sr, List(await s.Call("SR.get_all")));
        if (type == "iso")
        {
            // ISO SRs are read-only: no VDI.create.
            Assert.Equal(["SR_OPERATION_NOT_SUPPORTED", sr], (await s.Fails("VDI.create", new Dictionary<string, object?> { ["SR"] = sr, ["virtual_size"] = 1L, ["type"] = "user" })).Description);
        }
    }

    [Fact]
    public async Task SrCreate_UnknownTypeOrMissingConfig_FailsWithSmErrors()
    {
        await using var s = await agent.LoginAsync(XenTransport.JsonRpc, Ct);
        var host = (string)List(await s.Call("host.get_all"))[0]!;
        Assert.Equal(["SR_UNKNOWN_DRIVER", "zfs"], (await s.Fails("SR.create", host, NoMap, 0L, "z", "", "zfs", "user", false, NoMap)).Description);
        var nfs = await s.Fails("SR.create", host, new Dictionary<string, object?> { ["server"] = "10.0.0.5" }, 0L, "n", "", "nfs", "user", true, NoMap);
        Assert.Equal(["SR_BACKEND_FAILURE_101", "", "The request is missing the serverpath parameter", ""], nfs.Description);
        Assert.Equal("SR_BACKEND_FAILURE_90", (await s.Fails("SR.create", host, NoMap, 0L, "l", "", "lvm", "user", false, NoMap)).Code);
    }

    [Fact]
    public async Task Vdis_SizesStayTrueAndSrFullCarriesNumbers()
    {
        await using var s = await agent.LoginAsync(XenTransport.XmlRpc, Ct);
        var host = (string)List(await s.Call("host.get_all"))[0]!;
        var sr = await s.Ref("SR.create", host, new Dictionary<string, object?> { ["path"] = "/x" }, 10 * GiB, "small", "", "ext", "user", false, NoMap);
        var a = await s.CreateVdi(sr, 4 * GiB, "a");
        await AssertSr(s, sr, size: 10 * GiB, utilisation: 4 * GiB, allocation: 4 * GiB);

        var full = await s.Fails("VDI.create", new Dictionary<string, object?> { ["SR"] = sr, ["virtual_size"] = 7 * GiB, ["type"] = "user", ["name_label"] = "too big" });
        Assert.Equal(["SR_FULL", (7 * GiB).ToString(CultureInfo.InvariantCulture), (6 * GiB).ToString(CultureInfo.InvariantCulture)], full.Description);
        Assert.Single(List(await s.Field("SR", sr, "VDIs")));

        await s.Call("VDI.resize", a, 5 * GiB);
        Assert.Equal(5 * GiB, Int(await s.Field("VDI", a, "virtual_size")));
        await AssertSr(s, sr, 10 * GiB, 5 * GiB, 5 * GiB);
        Assert.Equal("SR_BACKEND_FAILURE_79", (await s.Fails("VDI.resize", a, GiB)).Code);

        var clone = await s.Ref("VDI.clone", a, NoMap);
        var clone2 = await s.Ref("VDI.clone", a);
        var snapshot = await s.Ref("VDI.snapshot", a, NoMap);
        var snap = await s.Record("VDI", snapshot);
        Assert.Equal(true, snap["is_a_snapshot"]);
        Assert.Equal(a, snap["snapshot_of"]);
        Assert.Equal(true, snap["read_only"]);
        Assert.Contains(snapshot, List(await s.Field("VDI", a, "snapshots")));
        Assert.Equal(await s.Field("VDI", a, "uuid"), Map(await s.Field("VDI", clone, "sm_config"))["vhd-parent"]);
        // Copy-on-write children use no space of their own yet; virtual_allocation counts every virtual size.
        await AssertSr(s, sr, 10 * GiB, 5 * GiB, 20 * GiB);

        foreach (var vdi in new[] { clone, clone2, snapshot, a })
        {
            await s.Call("VDI.destroy", vdi);
        }

        await AssertSr(s, sr, 10 * GiB, 0, 0);
        await s.Call("SR.scan", sr);
        Assert.Empty(List(await s.Field("SR", sr, "VDIs")));
    }

    [Fact]
    public async Task VdiInUse_WhileAttachedToARunningVm()
    {
        await using var s = await agent.LoginAsync(XenTransport.JsonRpc, Ct);
        var vm = await s.CreateVm("disk-user");
        var vdi = await s.CreateVdi(await s.DefaultSr(), GiB);
        var vbd = await s.CreateVbd(vm, vdi);
        await s.Call("VM.start", vm, false, false);
        Assert.Equal(true, await s.Field("VBD", vbd, "currently_attached"));
        Assert.Equal(["VDI_IN_USE", vdi, "destroy"], (await s.Fails("VDI.destroy", vdi)).Description);
        Assert.Equal(["VDI_IN_USE", vdi, "resize"], (await s.Fails("VDI.resize", vdi, 2 * GiB)).Description);
        Assert.Equal("OPERATION_NOT_ALLOWED", (await s.Fails("VBD.destroy", vbd)).Code);
        Assert.Equal(["DEVICE_ALREADY_ATTACHED", vbd], (await s.Fails("VBD.plug", vbd)).Description);
        await s.Call("VBD.unplug", vbd);
        Assert.Equal(["DEVICE_ALREADY_DETACHED", vbd], (await s.Fails("VBD.unplug", vbd)).Description);
        await s.Call("VBD.plug", vbd);
        await s.Call("VM.hard_shutdown", vm);
        Assert.Equal(false, await s.Field("VBD", vbd, "currently_attached"));
        Assert.Equal(["VM_BAD_POWER_STATE", vm, "running", "halted"], (await s.Fails("VBD.plug", vbd)).Description);
        await s.Call("VBD.destroy", vbd);
        await s.Call("VDI.destroy", vdi);
    }

    [Fact]
    public async Task Vbd_CdDriveInsertEjectAndUserdeviceChecks()
    {
        await using var s = await agent.LoginAsync(XenTransport.XmlRpc, Ct);
        var vm = await s.CreateVm("cd");
        var cd = await s.Ref("VBD.create", new Dictionary<string, object?>
        {
            ["VM"] = vm, ["VDI"] = "", ["userdevice"] = "3", ["bootable"] = false, ["mode"] = "RO", ["type"] = "cd", ["empty"] = true,
            ["other_config"] = NoMap, ["qos_algorithm_type"] = "", ["qos_algorithm_params"] = NoMap,
        });
        Assert.Equal("CD", await s.Field("VBD", cd, "type"));
        var iso = await s.CreateVdi(await s.DefaultSr(), GiB, "iso");
        Assert.Equal(["VBD_IS_EMPTY", cd], (await s.Fails("VBD.eject", cd)).Description);
        await s.Call("VBD.insert", cd, iso);
        Assert.Equal(false, await s.Field("VBD", cd, "empty"));
        Assert.Equal(["VBD_NOT_EMPTY", cd], (await s.Fails("VBD.insert", cd, iso)).Description);
        await s.Call("VBD.eject", cd);
        Assert.Equal(XenRef.Null, await s.Field("VBD", cd, "VDI"));
        Assert.Equal(["DEVICE_ALREADY_EXISTS", "3"], (await s.Fails("VBD.create", new Dictionary<string, object?> { ["VM"] = vm, ["VDI"] = iso, ["userdevice"] = "3", ["mode"] = "RW", ["type"] = "Disk" })).Description);
        Assert.Equal("0", await s.Field("VBD", await s.CreateVbd(vm, iso), "userdevice"));
        Assert.DoesNotContain("0", List(await s.Call("VM.get_allowed_VBD_devices", vm)));
    }

    [Fact]
    public async Task SrIntroducePbdPlugForgetAndDestroy()
    {
        await using var s = await agent.LoginAsync(XenTransport.JsonRpc, Ct);
        var host = (string)List(await s.Call("host.get_all"))[0]!;
        var created = await s.Ref("SR.create", host, new Dictionary<string, object?> { ["server"] = "nfs.example", ["serverpath"] = "/vms" }, 4 * GiB, "shared", "", "nfs", "user", true, NoMap);
        var uuid = (string)(await s.Field("SR", created, "uuid"))!;
        var pbd = (string)List(await s.Field("SR", created, "PBDs")).Single()!;
        Assert.Equal(["SR_HAS_PBD", created], (await s.Fails("SR.forget", created)).Description);
        await s.Call("PBD.unplug", pbd);
        Assert.Equal(["DEVICE_ALREADY_DETACHED", pbd], (await s.Fails("PBD.unplug", pbd)).Description);
        await s.Call("SR.forget", created);
        Assert.Equal("HANDLE_INVALID", (await s.Fails("SR.get_record", created)).Code);

        // The substrate is still there: introduce the SR again, connect it, and it works.
        var sr = await s.Ref("SR.introduce", uuid, "again", "", "nfs", "user", true, NoMap);
        Assert.Equal(uuid, await s.Field("SR", sr, "uuid"));
        var newPbd = await s.Ref("PBD.create", new Dictionary<string, object?> { ["host"] = host, ["SR"] = sr, ["device_config"] = new Dictionary<string, object?> { ["server"] = "nfs.example", ["serverpath"] = "/vms" }, ["other_config"] = NoMap });
        Assert.Equal(false, await s.Field("PBD", newPbd, "currently_attached"));
        Assert.Equal(["SR_HAS_NO_PBDS", sr], (await s.Fails("VDI.create", new Dictionary<string, object?> { ["SR"] = sr, ["virtual_size"] = GiB, ["type"] = "user" })).Description);
        await s.Call("PBD.plug", newPbd);
        Assert.Equal(["DEVICE_ALREADY_ATTACHED", newPbd], (await s.Fails("PBD.plug", newPbd)).Description);
        Assert.Equal(4 * GiB, Int(await s.Field("SR", sr, "physical_size")));
        var vdi = await s.CreateVdi(sr, GiB);
        Assert.Equal(["SR_NOT_EMPTY"], (await s.Fails("SR.destroy", sr)).Description);
        await s.Call("VDI.destroy", vdi);
        await s.Call("SR.destroy", sr);
        Assert.Equal("HANDLE_INVALID", (await s.Fails("PBD.get_record", newPbd)).Code);
    }

    [Fact]
    public async Task SrScan_FindsVdisTheSubstrateHasAndTheDatabaseForgot()
    {
        await using var s = await agent.LoginAsync(XenTransport.XmlRpc, Ct);
        var sr = await s.DefaultSr();
        var vdi = await s.CreateVdi(sr, GiB, "forgotten");
        var uuid = (string)(await s.Field("VDI", vdi, "uuid"))!;
        await s.Call("VDI.forget", vdi);
        Assert.Equal("UUID_INVALID", (await s.Fails("VDI.get_by_uuid", uuid)).Code);
        await s.Call("SR.scan", sr);
        var found = await s.Ref("VDI.get_by_uuid", uuid);
        Assert.Equal(GiB, Int(await s.Field("VDI", found, "virtual_size")));
        await s.Call("VDI.destroy", found);
    }

    [Theory]
    [MemberData(nameof(BothWires), MemberType = typeof(Api))]
    public async Task Networks_CreateDestroyAndVifsWithGeneratedOrGivenMacs(XenTransport transport)
    {
        await using var s = await agent.LoginAsync(transport, Ct);
        var network = await s.Ref("network.create", new Dictionary<string, object?> { ["name_label"] = "net-" + Guid.NewGuid(), ["name_description"] = "", ["MTU"] = "9000", ["other_config"] = new Dictionary<string, object?> { ["assume_network_is_shared"] = "true" } });
        var record = await s.Record("network", network);
        Assert.StartsWith("xapi", (string)record["bridge"]!, StringComparison.Ordinal);
        Assert.Equal(9000L, Int(record["MTU"]));
        var vm = await s.CreateVm("nics");
        var generated = await s.Ref("VIF.create", new Dictionary<string, object?> { ["device"] = "0", ["network"] = network, ["VM"] = vm, ["MAC"] = "", ["MTU"] = "0", ["qos_algorithm_type"] = "", ["qos_algorithm_params"] = NoMap, ["other_config"] = NoMap });
        var vif = await s.Record("VIF", generated);
        Assert.Matches("^[0-9a-f]{2}(:[0-9a-f]{2}){5}$", (string)vif["MAC"]!);
        Assert.Equal(true, vif["MAC_autogenerated"]);
        Assert.Equal(9000L, Int(vif["MTU"]));
        var given = await s.Ref("VIF.create", new Dictionary<string, object?> { ["device"] = "1", ["network"] = network, ["VM"] = vm, ["MAC"] = "AA:BB:CC:00:11:22", ["MTU"] = "1500" });
        Assert.Equal("aa:bb:cc:00:11:22", await s.Field("VIF", given, "MAC"));
        Assert.Equal(false, await s.Field("VIF", given, "MAC_autogenerated"));
        Assert.Equal(["MAC_INVALID", "zz:00"], (await s.Fails("VIF.create", new Dictionary<string, object?> { ["device"] = "2", ["network"] = network, ["VM"] = vm, ["MAC"] = "zz:00" })).Description);
        Assert.Equal(["DEVICE_ALREADY_EXISTS", "1"], (await s.Fails("VIF.create", new Dictionary<string, object?> { ["device"] = "1", ["network"] = network, ["VM"] = vm, ["MAC"] = "" })).Description);
        Assert.Equal(new[] { generated, given }.Order(), List(await s.Field("network", network, "VIFs")).Cast<string>().Order());
        Assert.Equal("NETWORK_CONTAINS_VIF", (await s.Fails("network.destroy", network)).Code);
        await s.Call("VM.start", vm, false, false);
        Assert.Equal(true, await s.Field("VIF", generated, "currently_attached"));
        await s.Call("VM.hard_shutdown", vm);
        await s.Call("VIF.destroy", generated);
        await s.Call("VM.destroy", vm);
        await s.Call("network.destroy", network);
        Assert.Equal("HANDLE_INVALID", (await s.Fails("network.get_record", network)).Code);
        var management = List(await s.Call("PIF.get_all")).Select(p => (string)p!).ToList();
        Assert.NotEmpty(management);
        Assert.Equal("OPERATION_NOT_ALLOWED", (await s.Fails("PIF.unplug", management[0])).Code);
    }

    private static async Task AssertSr(XenSession s, string sr, long size, long utilisation, long allocation)
    {
        var record = await s.Record("SR", sr);
        Assert.Equal((size, utilisation, allocation), (Int(record["physical_size"]), Int(record["physical_utilisation"]), Int(record["virtual_allocation"])));
    }
}
