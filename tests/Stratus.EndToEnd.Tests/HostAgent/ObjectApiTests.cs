using Stratus.XenApi;
using Stratus.XenApi.Client;
using static Stratus.EndToEnd.Tests.HostAgent.Api;

namespace Stratus.EndToEnd.Tests.HostAgent;

/// <summary>Contract §1.7: the generated methods of every class the issue lists, over both wires.</summary>
public sealed class ObjectApiTests(AgentFixture agent) : IClassFixture<AgentFixture>
{
    public static readonly TheoryData<XenTransport, string> ClassesOnBothWires = Build();

    private static readonly HashSet<string> WithNameLookup = new(StringComparer.Ordinal) { "host", "VM", "SR", "VDI", "network", "task" };

    [Theory]
    [MemberData(nameof(ClassesOnBothWires))]
    public async Task GeneratedMethods_AgreeWithEachOther(XenTransport transport, string cls)
    {
        await using var s = await agent.LoginAsync(transport, Ct);
        await PopulateAsync(s);
        var all = List(await s.Call($"{cls}.get_all")).Cast<string>().ToList();
        var records = Map(await s.Call($"{cls}.get_all_records"));
        Assert.Equal(all.Order(), records.Keys.Order());
        Assert.Equal(records.Keys.Order(), Map(await s.Call($"{cls}.get_all_records_where", "true")).Keys.Order());
        Assert.Empty(Map(await s.Call($"{cls}.get_all_records_where", "false")));
        if (cls is not ("VM_guest_metrics" or "console"))
        {
            Assert.NotEmpty(all);
        }

        foreach (var reference in all.Take(3))
        {
            var record = await s.Record(cls, reference);
            Assert.False(record.ContainsKey("ref"));
            Assert.Equal(Map(records[reference]).Keys, record.Keys);
            var uuid = (string)record["uuid"]!;
            Assert.Equal(reference, await s.Call($"{cls}.get_by_uuid", uuid));
            Assert.Equal(uuid, await s.Field(cls, reference, "uuid"));
            foreach (var (field, value) in record.Where(p => p.Value is string or bool).Take(6))
            {
                Assert.Equal(value, await s.Field(cls, reference, field));
            }

            var filtered = Map(await s.Call($"{cls}.get_all_records_where", $"field \"uuid\"=\"{uuid}\""));
            Assert.Equal([reference], filtered.Keys);
            if (WithNameLookup.Contains(cls))
            {
                Assert.Contains(reference, List(await s.Call($"{cls}.get_by_name_label", (string)record["name_label"]!)));
            }
        }

        Assert.Equal(["HANDLE_INVALID", cls, "OpaqueRef:NULL"], (await s.Fails($"{cls}.get_record", XenRef.Null)).Description);
    }

    [Theory]
    [MemberData(nameof(BothWires), MemberType = typeof(Api))]
    public async Task Setters_RwFieldsMapsAndSets_AndStaticFieldsHaveNoSetter(XenTransport transport)
    {
        await using var s = await agent.LoginAsync(transport, Ct);
        var vm = await s.CreateVm("setters");
        await s.Call("VM.set_name_description", vm, "described");
        Assert.Equal("described", await s.Field("VM", vm, "name_description"));
        await s.Call("VM.add_to_other_config", vm, "k", "v");
        var uuid = (string)(await s.Field("VM", vm, "uuid"))!;
        Assert.Equal(["MAP_DUPLICATE_KEY", "VM", "other_config", uuid, "k"], (await s.Fails("VM.add_to_other_config", vm, "k", "w")).Description);
        await s.Call("VM.remove_from_other_config", vm, "k");
        await s.Call("VM.remove_from_other_config", vm, "k");
        Assert.False(Map(await s.Field("VM", vm, "other_config")).ContainsKey("k"));
        await s.Call("VM.add_tags", vm, "blue");
        await s.Call("VM.add_tags", vm, "blue");
        Assert.Equal(["blue"], List(await s.Field("VM", vm, "tags")));
        await s.Call("VM.remove_tags", vm, "blue");
        Assert.Empty(List(await s.Field("VM", vm, "tags")));
        await s.Call("VM.set_other_config", vm, new Dictionary<string, object?> { ["a"] = "1" });
        Assert.Equal("1", Map(await s.Field("VM", vm, "other_config"))["a"]);
        Assert.Equal("MESSAGE_METHOD_UNKNOWN", (await s.Fails("VM.set_power_state", vm, "Running")).Code);
        Assert.Equal("MESSAGE_METHOD_UNKNOWN", (await s.Fails("VM.set_uuid", vm, "x")).Code);
        var pool = List(await s.Call("pool.get_all"))[0];
        await s.Call("pool.set_name_label", pool, "stratus-pool");
        Assert.Equal("stratus-pool", await s.Field("pool", (string)pool!, "name_label"));
    }

    [Fact]
    public async Task Refs_AreStablePerObjectAcrossCallsAndWires()
    {
        await using var xml = await agent.LoginAsync(XenTransport.XmlRpc, Ct);
        await using var json = await agent.LoginAsync(XenTransport.JsonRpc, Ct);
        var vm = await xml.CreateVm("stable");
        var uuid = (string)(await xml.Field("VM", vm, "uuid"))!;
        await xml.Call("VM.start", vm, false, false);
        await xml.Call("VM.hard_shutdown", vm);
        Assert.Equal(vm, await json.Call("VM.get_by_uuid", uuid));
        Assert.Contains(vm, Map(await json.Call("VM.get_all_records")).Keys);
        Assert.StartsWith("OpaqueRef:", vm, StringComparison.Ordinal);
        Assert.True(Guid.TryParse(vm["OpaqueRef:".Length..], out _));
    }

    [Fact]
    public async Task HostPoolAndControlDomain_DescribeTheHostAsClientsExpect()
    {
        await using var s = await agent.LoginAsync(XenTransport.JsonRpc, Ct);
        var pools = Map(await s.Call("pool.get_all_records"));
        var pool = Map(Assert.Single(pools).Value);
        var host = (string)pool["master"]!;
        var record = await s.Record("host", host);
        Assert.Equal(2L, record["API_version_major"]);
        Assert.Equal(21L, record["API_version_minor"]);
        Assert.True(Map(record["software_version"]).ContainsKey("product_version"));
        Assert.Equal("127.0.0.1", record["address"]);
        Assert.Equal(16, List(record["host_CPUs"]).Count);
        Assert.NotEqual(XenRef.Null, record["metrics"]);
        var dom0 = await s.Record("VM", (string)record["control_domain"]!);
        Assert.Equal(true, dom0["is_control_domain"]);
        Assert.Equal("Running", dom0["power_state"]);
        Assert.Equal(0L, dom0["domid"]);
        Assert.Equal(host, dom0["resident_on"]);
        Assert.Contains(record["control_domain"], List(record["resident_VMs"]));
        var pif = await s.Record("PIF", (string)List(record["PIFs"]).Single()!);
        Assert.Equal(true, pif["management"]);
        Assert.Equal(-1L, pif["VLAN"]);
        // The session is passed twice (session_id and self), as nova and the C# SDK do; XenSession adds the first.
        Assert.Equal(host, await s.Call("session.get_this_host", s.Ref));
        Assert.Equal(true, await s.Call("session.get_is_local_superuser", s.Ref));
        Assert.IsAssignableFrom<IReadOnlyList<object?>>(await s.Call("session.get_rbac_permissions", s.Ref));
    }

    private static async Task PopulateAsync(XenSession s)
    {
        // Something in every class that clients create: a VM with a disk and a NIC, a finished task, a message.
        var vm = await s.CreateVm("populate");
        var vdi = await s.CreateVdi(await s.DefaultSr(), GiB);
        await s.CreateVbd(vm, vdi);
        var network = List(await s.Call("network.get_all"))[0];
        await s.Ref("VIF.create", new Dictionary<string, object?> { ["device"] = "0", ["network"] = network, ["VM"] = vm, ["MAC"] = "", ["MTU"] = "1500", ["other_config"] = new Dictionary<string, object?>() });
        await s.WaitTask(await s.Ref("Async.VM.get_allowed_VBD_devices", vm));
        await s.Ref("message.create", "TEST", 3L, "VM", (string)(await s.Field("VM", vm, "uuid"))!, "populated");
    }

    private static TheoryData<XenTransport, string> Build()
    {
        var data = new TheoryData<XenTransport, string>();
        foreach (var transport in new[] { XenTransport.XmlRpc, XenTransport.JsonRpc })
        {
            foreach (var cls in new[] { "pool", "host", "host_metrics", "host_cpu", "VM", "VM_metrics", "VM_guest_metrics", "SR", "PBD", "VDI", "VBD", "network", "VIF", "PIF", "console", "task", "message" })
            {
                data.Add(transport, cls);
            }
        }

        return data;
    }
}
