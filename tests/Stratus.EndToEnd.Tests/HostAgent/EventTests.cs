using Stratus.XenApi.Client;
using static Stratus.EndToEnd.Tests.HostAgent.Api;

namespace Stratus.EndToEnd.Tests.HostAgent;

/// <summary>Contract §2.8 over the wire: event.from with tokens, blocking and timeouts, event.inject, register/next.</summary>
public sealed class EventTests(AgentFixture agent) : IClassFixture<AgentFixture>
{
    [Theory]
    [MemberData(nameof(BothWires), MemberType = typeof(Api))]
    public async Task From_EmptyTokenThenChangeFromAnotherClient_DeliversAddThenMod(XenTransport transport)
    {
        await using var watcher = await agent.LoginAsync(transport, Ct);
        await using var actor = await agent.LoginAsync(transport == XenTransport.XmlRpc ? XenTransport.JsonRpc : XenTransport.XmlRpc, Ct);
        var vm = await actor.CreateVm("watched");

        var everything = Map(await watcher.Call("event.from", new object?[] { "*" }, "", 0.0));
        var events = List(everything["events"]).Select(Map).ToList();
        Assert.All(events, e => Assert.Equal("add", e["operation"]));
        Assert.Contains(events, e => (string)e["ref"]! == vm && (string)e["class"]! == "vm");
        Assert.Contains(events, e => (string)e["class"]! == "host");
        Assert.Equal(List(await watcher.Call("task.get_all")).Count, Int(Map(everything["valid_ref_counts"])["task"]));

        // Block in event.from, then change the VM from the other client: the change arrives (no timeout).
        var token = (string)everything["token"]!;
        var blocked = watcher.Call("event.from", new object?[] { "vm" }, token, 30.0);
        await actor.Call("VM.start", vm, false, false);
        var batch = Map(await blocked.WaitAsync(Ct));
        var change = List(batch["events"]).Select(Map).Single(e => (string)e["ref"]! == vm);
        Assert.Equal("mod", change["operation"]);
        Assert.NotEqual(token, batch["token"]);
        // The start shows as the operation beginning (current_operations), then the VM running: follow the tokens.
        while ((string)Map(change["snapshot"])["power_state"]! != "Running")
        {
            batch = Map(await watcher.Call("event.from", new object?[] { $"vm/{vm}" }, (string)batch["token"]!, 30.0));
            change = List(batch["events"]).Select(Map).Single();
        }

        await actor.Call("VM.hard_shutdown", vm);
        await actor.Call("VM.destroy", vm);

        var deleted = List(Map(await watcher.Call("event.from", new object?[] { "vm" }, (string)batch["token"]!, 5.0))["events"]).Select(Map).ToList();
        Assert.Contains(deleted, e => (string)e["ref"]! == vm && (string)e["operation"]! == "del" && !e.ContainsKey("snapshot"));
    }

    [Fact]
    public async Task From_NothingHappens_ReturnsEmptyAfterTheTimeout()
    {
        await using var s = await agent.LoginAsync(XenTransport.JsonRpc, Ct);
        var token = (string)Map(await s.Call("event.from", new object?[] { "pool" }, "", 0.0))["token"]!;
        var batch = Map(await s.Call("event.from", new object?[] { "pool" }, token, 0.3));
        Assert.Empty(List(batch["events"]));
        Assert.IsType<string>(batch["token"]);
    }

    [Fact]
    public async Task From_ValidRefCountsTravelAsI4InXmlRpc()
    {
        var login = await agent.PostAsync("/", "<methodCall><methodName>session.login_with_password</methodName><params><param><value>root</value></param><param><value>" + Stratus.Testing.HostAgentProcess.Password + "</value></param></params></methodCall>", "text/xml", Ct);
        var session = System.Text.RegularExpressions.Regex.Match(login.Body, "OpaqueRef:[0-9a-f-]+").Value;
        var (_, _, body) = await agent.PostAsync("/", $"<methodCall><methodName>event.from</methodName><params><param><value>{session}</value></param><param><value><array><data><value>pool</value></data></array></value></param><param><value></value></param><param><value><double>0</double></value></param></params></methodCall>", "text/xml", Ct);
        Assert.Matches("<member><name>task</name><value><i4>[0-9]+</i4></value></member>", body);
        Assert.Matches("<member><name>token</name><value>[0-9]{20},[0-9]{20}</value></member>", body);
    }

    [Theory]
    [MemberData(nameof(BothWires), MemberType = typeof(Api))]
    public async Task Inject_GivesTokenBeforeAPoolModAndBadTokensAreErrors(XenTransport transport)
    {
        await using var s = await agent.LoginAsync(transport, Ct);
        var pool = (string)List(await s.Call("pool.get_all"))[0]!;
        var token = (string)(await s.Call("event.inject", "pool", pool))!;
        var events = List(Map(await s.Call("event.from", new object?[] { "pool" }, token, 5.0))["events"]).Select(Map).ToList();
        Assert.Contains(events, e => (string)e["ref"]! == pool && (string)e["operation"]! == "mod");
        Assert.Equal(["HANDLE_INVALID", "VM", pool], (await s.Fails("event.inject", "VM", pool)).Description);
        Assert.Equal(["EVENT_FROM_TOKEN_PARSE_FAILURE", "yesterday"], (await s.Fails("event.from", new object?[] { "*" }, "yesterday", 0.0)).Description);
        Assert.Equal(["EVENT_SUBSCRIPTION_PARSE_FAILURE", "cheese"], (await s.Fails("event.from", new object?[] { "cheese" }, "", 0.0)).Description);
    }

    [Fact]
    public async Task RegisterNext_LegacyApiDeliversChanges()
    {
        await using var watcher = await agent.LoginAsync(XenTransport.XmlRpc, Ct);
        await using var actor = await agent.LoginAsync(XenTransport.XmlRpc, Ct);
        Assert.Equal(["SESSION_NOT_REGISTERED", watcher.Ref], (await watcher.Fails("event.next")).Description);
        await watcher.Call("event.register", new object?[] { new object?[] { "vm" } });
        var next = watcher.Call("event.next");
        var vm = await actor.CreateVm("legacy");
        var events = List(await next.WaitAsync(Ct)).Select(Map).ToList();
        Assert.Contains(events, e => (string)e["ref"]! == vm && (string)e["operation"]! == "add");
        Assert.True(Int(await watcher.Call("event.get_current_id")) > 0);
        await watcher.Call("event.unregister", new object?[] { new object?[] { "vm" } });
    }
}
