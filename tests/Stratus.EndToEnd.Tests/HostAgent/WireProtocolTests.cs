using System.Text.Json;
using Stratus.Testing;
using Stratus.XenApi;
using Stratus.XenApi.Client;
using static Stratus.EndToEnd.Tests.HostAgent.Api;

namespace Stratus.EndToEnd.Tests.HostAgent;

/// <summary>Contract §1: endpoints, exact content types, envelopes, sessions, and bad input as XenAPI failures.</summary>
public sealed class WireProtocolTests(AgentFixture agent) : IClassFixture<AgentFixture>
{
    private static string Login(int args) =>
        "<?xml version=\"1.0\"?><methodCall><methodName>session.login_with_password</methodName><params>"
        + string.Concat(new[] { "root", HostAgentProcess.Password, "2.21", "test" }.Take(args).Select(a => $"<param><value><string>{a}</string></value></param>"))
        + "</params></methodCall>";

    [Theory]
    [InlineData("/")]
    [InlineData("/RPC2")]
    [InlineData("/xmlrpc")]
    [InlineData("/some/other/path")]
    public async Task XmlRpc_AnyPostPath_AnswersTextXmlWithoutCharset(string path)
    {
        var (status, type, body) = await agent.PostAsync(path, Login(2), "text/xml", Ct);
        Assert.Equal(200, status);
        Assert.Equal("text/xml", type);
        Assert.Contains("<name>Status</name><value>Success</value>", body, StringComparison.Ordinal);
        Assert.Contains("OpaqueRef:", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonRpc_V2Success_ApplicationJsonWithoutCharsetAndNoErrorMember()
    {
        var (status, type, body) = await agent.PostAsync("/jsonrpc",
            $"{{\"jsonrpc\":\"2.0\",\"method\":\"session.login_with_password\",\"params\":[\"root\",\"{HostAgentProcess.Password}\"],\"id\":0}}", "application/json", Ct);
        Assert.Equal(200, status);
        Assert.Equal("application/json", type);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("2.0", json.RootElement.GetProperty("jsonrpc").GetString());
        Assert.StartsWith("OpaqueRef:", json.RootElement.GetProperty("result").GetString(), StringComparison.Ordinal);
        Assert.False(json.RootElement.TryGetProperty("error", out _));
        Assert.Equal(0, json.RootElement.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task JsonRpc_V2Failure_CodeOneMessageDataAndNoResult()
    {
        var (_, _, body) = await agent.PostAsync("/jsonrpc",
            "{\"jsonrpc\":\"2.0\",\"method\":\"session.login_with_password\",\"params\":[\"root\",\"wrong\"],\"id\":\"s\"}", "application/json", Ct);
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":1,\"message\":\"SESSION_AUTHENTICATION_FAILED\",\"data\":[\"root\",\"Authentication failure\"]},\"id\":\"s\"}", body);
    }

    [Fact]
    public async Task JsonRpc_V1_ErrorNullOnSuccessAndArrayOnFailure()
    {
        var (_, type, ok) = await agent.PostAsync("/jsonrpc",
            $"{{\"method\":\"session.login_with_password\",\"params\":[\"root\",\"{HostAgentProcess.Password}\",\"2.21\",\"XenCenter\"],\"id\":1}}", "application/json", Ct);
        Assert.Equal("application/json", type);
        using (var json = JsonDocument.Parse(ok))
        {
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("error").ValueKind);
            Assert.False(json.RootElement.TryGetProperty("jsonrpc", out _));
        }

        var (_, _, failed) = await agent.PostAsync("/jsonrpc", "{\"method\":\"VM.get_all\",\"params\":[\"OpaqueRef:nope\"],\"id\":2}", "application/json", Ct);
        Assert.Equal("{\"result\":null,\"error\":[\"SESSION_INVALID\",\"OpaqueRef:nope\"],\"id\":2}", failed);
    }

    [Theory]
    [InlineData("/", "text/xml", "this is not xml")]
    [InlineData("/RPC2", "text/xml", "")]
    [InlineData("/", "text/xml", "<methodCall><methodName>VM.get_all</methodName><params><param><value><int>x</int></value></param></params></methodCall>")]
    [InlineData("/jsonrpc", "application/json", "{not json")]
    [InlineData("/jsonrpc", "application/json", "")]
    [InlineData("/jsonrpc", "application/json", "{\"jsonrpc\":\"2.0\",\"method\":\"VM.get_all\",\"params\":[]}")]
    [InlineData("/jsonrpc", "application/json", "[1,2,3]")]
    public async Task MalformedBody_IsXenApiFailureWithStatus200(string path, string contentType, string body)
    {
        var (status, type, reply) = await agent.PostAsync(path, body, contentType, Ct);
        Assert.Equal(200, status);
        Assert.Equal(contentType, type);
        Assert.Contains("XMLRPC_UNMARSHAL_FAILURE", reply, StringComparison.Ordinal);
        // The agent is still there.
        Assert.Equal(200, (await agent.PostAsync("/", Login(2), "text/xml", Ct)).Status);
    }

    [Fact]
    public async Task ListMethods_XmlRpc_IsBareArrayWithClassCaseAndAsync()
    {
        var (_, _, body) = await agent.PostAsync("/", "<?xml version=\"1.0\"?><methodCall><methodName>system.listMethods</methodName><params/></methodCall>", "text/xml", Ct);
        Assert.StartsWith("<?xml version=\"1.0\"?><methodResponse><params><param><value><array><data>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<name>Status</name>", body, StringComparison.Ordinal);
        foreach (var method in new[] { "VM.get_all_records", "SR.get_all_records", "host.get_all_records", "task.get_all_records", "VM_metrics.get_all_records", "Async.VM.start", "event.from", "session.login_with_password" })
        {
            Assert.Contains($"<value>{method}</value>", body, StringComparison.Ordinal);
        }

        // No listing of sessions: npm xen-api lists every class with get_all_records and refuses session.* calls.
        Assert.DoesNotContain("<value>session.get_all_records</value>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<value>Async.VM.get_power_state</value>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListMethods_JsonRpc_IsResultArray()
    {
        using var client = new XenApiClient(agent.Url, XenTransport.JsonRpc);
        var methods = List(await client.CallAsync("system.listMethods", [], Ct));
        Assert.Contains("VM.get_all_records", methods);
        Assert.Contains("Async.VM.clone", methods);
    }

    [Theory]
    [MemberData(nameof(BothWires), MemberType = typeof(Api))]
    public async Task Login_TwoThreeOrFourArguments_AllWork(XenTransport transport)
    {
        using var client = new XenApiClient(agent.Url, transport);
        foreach (var args in new object?[][] { ["root", HostAgentProcess.Password], ["root", HostAgentProcess.Password, "1.1"], ["root", HostAgentProcess.Password, "2.1", "nova"] })
        {
            var session = (string)(await client.CallAsync("session.login_with_password", args, Ct))!;
            Assert.StartsWith("OpaqueRef:", session, StringComparison.Ordinal);
            Assert.NotEmpty(List(await client.CallAsync("VM.get_all", [session], Ct)));
            await client.CallAsync("session.logout", [session], Ct);
        }

        foreach (var args in new object?[][] { ["root"], ["root", HostAgentProcess.Password, "2.1", "nova", "extra"] })
        {
            var failure = await Assert.ThrowsAsync<XenApiFailure>(() => client.CallAsync("session.login_with_password", args, Ct));
            Assert.Equal(["MESSAGE_PARAMETER_COUNT_MISMATCH", "session.login_with_password", "2", args.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)], failure.Description);
        }
    }

    [Theory]
    [MemberData(nameof(BothWires), MemberType = typeof(Api))]
    public async Task Login_WrongPasswordOrUser_IsAuthenticationFailed(XenTransport transport)
    {
        using var client = new XenApiClient(agent.Url, transport);
        Assert.Equal(["SESSION_AUTHENTICATION_FAILED", "root", "Authentication failure"],
            (await Assert.ThrowsAsync<XenApiFailure>(() => client.CallAsync("session.login_with_password", ["root", "wrong"], Ct))).Description);
        Assert.Equal("SESSION_AUTHENTICATION_FAILED",
            (await Assert.ThrowsAsync<XenApiFailure>(() => client.CallAsync("session.login_with_password", ["admin", HostAgentProcess.Password], Ct))).Code);
    }

    [Theory]
    [MemberData(nameof(BothWires), MemberType = typeof(Api))]
    public async Task Calls_WithoutAValidSession_AreSessionInvalidAndLogoutEndsTheSession(XenTransport transport)
    {
        using var client = new XenApiClient(agent.Url, transport);
        foreach (var session in new[] { "", "OpaqueRef:NULL", "OpaqueRef:" + Guid.NewGuid() })
        {
            var failure = await Assert.ThrowsAsync<XenApiFailure>(() => client.CallAsync("VM.get_all", [session], Ct));
            Assert.Equal(["SESSION_INVALID", session], failure.Description);
        }

        var live = (string)(await client.CallAsync("session.login_with_password", ["root", HostAgentProcess.Password], Ct))!;
        Assert.Single(List(await client.CallAsync("host.get_all", [live], Ct)));
        Assert.Equal("", await client.CallAsync("session.logout", [live], Ct));
        Assert.Equal(["SESSION_INVALID", live], (await Assert.ThrowsAsync<XenApiFailure>(() => client.CallAsync("host.get_all", [live], Ct))).Description);
    }

    [Fact]
    public async Task Session_FromOneWire_IsValidOnTheOther()
    {
        using var xml = new XenApiClient(agent.Url, XenTransport.XmlRpc);
        using var json = new XenApiClient(agent.Url, XenTransport.JsonRpc);
        var session = (string)(await xml.CallAsync("session.login_with_password", ["root", HostAgentProcess.Password], Ct))!;
        var host = List(await json.CallAsync("host.get_all", [session], Ct))[0];
        Assert.Equal(host, await json.CallAsync("session.get_this_host", [session, session], Ct));
        Assert.Equal(true, await json.CallAsync("session.get_is_local_superuser", [session, session], Ct));
    }

    [Theory]
    [MemberData(nameof(BothWires), MemberType = typeof(Api))]
    public async Task BadCalls_GetTheirXenApiErrors(XenTransport transport)
    {
        await using var s = await agent.LoginAsync(transport, Ct);
        Assert.Equal(["MESSAGE_METHOD_UNKNOWN", "VM.frobnicate"], (await s.Fails("VM.frobnicate")).Description);
        Assert.Equal(["MESSAGE_METHOD_UNKNOWN", "Async.VM.get_power_state"], (await s.Fails("Async.VM.get_power_state", XenRef.Null)).Description);
        Assert.Equal(["MESSAGE_PARAMETER_COUNT_MISMATCH", "VM.get_record", "1", "0"], (await s.Fails("VM.get_record")).Description);
        Assert.Equal(["MESSAGE_PARAMETER_COUNT_MISMATCH", "VM.start", "3", "1"], (await s.Fails("VM.start", XenRef.Null)).Description);
        var unknown = "OpaqueRef:" + Guid.NewGuid();
        Assert.Equal(["HANDLE_INVALID", "VM", unknown], (await s.Fails("VM.get_record", unknown)).Description);
        Assert.Equal(["HANDLE_INVALID", "SR", unknown], (await s.Fails("SR.get_name_label", unknown)).Description);
        Assert.Equal(["UUID_INVALID", "VM", "no-such-uuid"], (await s.Fails("VM.get_by_uuid", "no-such-uuid")).Description);
        Assert.Equal(["UUID_INVALID", "network", "no-such-uuid"], (await s.Fails("network.get_by_uuid", "no-such-uuid")).Description);
        var vm = await s.CreateVm("typed");
        Assert.Equal(["FIELD_TYPE_ERROR", "value"], (await s.Fails("VM.set_VCPUs_max", vm, "many")).Description);
        Assert.Equal(["FIELD_TYPE_ERROR", "value"], (await s.Fails("VM.set_name_label", vm, new object?[] { "a" })).Description);
        Assert.Equal(["INVALID_VALUE", "value", "sideways"], (await s.Fails("VM.set_actions_after_shutdown", vm, "sideways")).Description);
    }

    [Theory]
    [MemberData(nameof(BothWires), MemberType = typeof(Api))]
    public async Task FailedCalls_ChangeNothing(XenTransport transport)
    {
        await using var s = await agent.LoginAsync(transport, Ct);
        async Task<string> Counts() => string.Join(",", await Task.WhenAll(new[] { "VM", "VM_metrics", "VBD", "VDI", "SR", "PBD", "VIF" }.Select(async c => List(await s.Call($"{c}.get_all")).Count)));
        var before = await Counts();
        // A VM whose memory is out of order: no VM, and no VM_metrics left behind.
        Assert.Equal("MEMORY_CONSTRAINT_VIOLATION_ORDER", (await s.Fails("VM.create", new Dictionary<string, object?>
        {
            ["name_label"] = "bad", ["memory_static_min"] = 2 * GiB, ["memory_dynamic_min"] = GiB, ["memory_dynamic_max"] = GiB, ["memory_static_max"] = GiB,
            ["VCPUs_max"] = 1L, ["VCPUs_at_startup"] = 1L,
        })).Code);
        // A VBD naming a VDI that does not exist, a VIF on a network that does not exist.
        var vm = await s.CreateVm("atomic");
        var mid = await Counts();
        Assert.Equal("HANDLE_INVALID", (await s.Fails("VBD.create", new Dictionary<string, object?> { ["VM"] = vm, ["VDI"] = "OpaqueRef:" + Guid.NewGuid(), ["userdevice"] = "0", ["mode"] = "RW", ["type"] = "Disk" })).Code);
        Assert.Equal("HANDLE_INVALID", (await s.Fails("VIF.create", new Dictionary<string, object?> { ["VM"] = vm, ["network"] = "OpaqueRef:" + Guid.NewGuid(), ["device"] = "0", ["MAC"] = "" })).Code);
        // An NFS SR without its server: no SR, no PBD.
        var host = List(await s.Call("host.get_all"))[0];
        Assert.Equal("SR_BACKEND_FAILURE_102", (await s.Fails("SR.create", host, new Dictionary<string, object?> { ["serverpath"] = "/x" }, 0L, "nfs", "", "nfs", "user", true, new Dictionary<string, object?>())).Code);
        Assert.Equal(mid, await Counts());
        await s.Call("VM.destroy", vm);
        Assert.Equal(before, await Counts());
    }

    [Fact]
    public async Task PythonXmlRpcClient_DefaultPathAndTypedValues_Works()
    {
        var python = TestEnvironment.Require("python3", "Python's xmlrpc.client is a client nobody here wrote");
        // ServerProxy("http://host:port") posts to /RPC2 and sends <string>/<int>/<boolean>/<nil/>; ints come back as strings.
        const string script = """
            import sys, xmlrpc.client
            p = xmlrpc.client.ServerProxy(sys.argv[1], allow_none=True)
            s = p.session.login_with_password("root", sys.argv[2], "2.1", "nova")["Value"]
            vm = p.VM.create(s, {"name_label": "py", "memory_static_min": "0", "memory_dynamic_min": str(1 << 30),
                "memory_dynamic_max": str(1 << 30), "memory_static_max": str(1 << 30), "VCPUs_max": 1, "VCPUs_at_startup": 1,
                "affinity": None, "is_a_template": False, "other_config": {"nova_uuid": "x"}})["Value"]
            rec = p.VM.get_record(s, vm)["Value"]
            assert rec["memory_static_max"] == str(1 << 30), rec["memory_static_max"]
            assert rec["power_state"] == "Halted" and rec["is_a_template"] is False
            assert p.VM.start(s, vm, False, False)["Status"] == "Success"
            bad = p.VM.start(s, vm, False, False)
            assert bad["Status"] == "Failure" and bad["ErrorDescription"] == ["VM_BAD_POWER_STATE", vm, "halted", "running"], bad
            where = p.VM.get_all_records_where(s, 'field "name__label"="py" and field "power_state"="Running"')["Value"]
            assert list(where) == [vm], where
            print("python ok", len(p.system.listMethods()))
            """;
        var file = Path.Combine(agent.DataDirectory, "client.py");
        await File.WriteAllTextAsync(file, script, Ct);
        var url = agent.Url.ToString().TrimEnd('/');
        var (exit, output) = await Processes.RunAsync(python, [file, url, HostAgentProcess.Password], Ct);
        Assert.True(exit == 0, output);
        Assert.StartsWith("python ok", output, StringComparison.Ordinal);
    }
}
