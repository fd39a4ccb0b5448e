using Stratus.Testing;
using Stratus.XenApi;
using Stratus.XenApi.Client;
using static Stratus.EndToEnd.Tests.HostAgent.Api;

namespace Stratus.EndToEnd.Tests.HostAgent;

/// <summary>The object database lives in SQLite under --data: a kill -9 loses no committed change.</summary>
public sealed class DurabilityTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task KillNine_ThenRestart_EveryCommittedChangeIsThereAndRunningVmsStillRun()
    {
        using var data = new TempDirectory();
        string vm, halted, vdi, network, vbd, sessionRef, token;
        long free;
        await using (var agent = await HostAgentProcess.StartAsync(data.Path, Ct))
        {
            using var client = new XenApiClient(agent.Url, XenTransport.JsonRpc);
            var s = await XenSession.LoginAsync(client, "root", HostAgentProcess.Password, Ct);
            vm = await s.CreateVm("survivor", 2 * GiB);
            halted = await s.CreateVm("sleeper");
            vdi = await s.CreateVdi(await s.DefaultSr(), 3 * GiB, "data");
            vbd = await s.CreateVbd(vm, vdi);
            network = await s.Ref("network.create", new Dictionary<string, object?> { ["name_label"] = "kept-net", ["MTU"] = 1500L });
            await s.Call("VM.add_to_other_config", vm, "kept", "abc");
            await s.Call("VM.start", vm, false, false);
            await s.Call("VM.set_name_label", halted, "renamed before the crash");
            var host = (string)List(await s.Call("host.get_all"))[0]!;
            free = Int(await s.Call("host.compute_free_memory", host));
            token = (string)Map(await s.Call("event.from", new object?[] { "*" }, "", 0.0))["token"]!;
            sessionRef = s.Ref;
            // The calls above returned, so they are committed; kill -9 straight away.
            await agent.KillAsync();
        }

        await using var restarted = await HostAgentProcess.StartAsync(data.Path, Ct);
        using var again = new XenApiClient(restarted.Url, XenTransport.XmlRpc);
        // Sessions do not survive a restart (as in xapi); clients log in again on SESSION_INVALID.
        Assert.Equal(["SESSION_INVALID", sessionRef], (await Assert.ThrowsAsync<XenApiFailure>(() => again.CallAsync("VM.get_all", [sessionRef], Ct))).Description);
        await using var s2 = await XenSession.LoginAsync(again, "root", HostAgentProcess.Password, Ct);
        var record = await s2.Record("VM", vm);
        Assert.Equal("Running", record["power_state"]);
        Assert.Equal("abc", Map(record["other_config"])["kept"]);
        Assert.Equal([vbd], List(record["VBDs"]));
        Assert.Equal(true, await s2.Field("VBD", vbd, "currently_attached"));
        Assert.Equal("renamed before the crash", await s2.Field("VM", halted, "name_label"));
        Assert.Equal(3 * GiB, Int(await s2.Field("VDI", vdi, "virtual_size")));
        Assert.Equal("kept-net", await s2.Field("network", network, "name_label"));
        var host2 = (string)List(await s2.Call("host.get_all"))[0]!;
        Assert.Equal(free, Int(await s2.Call("host.compute_free_memory", host2)));
        Assert.Equal(["EVENTS_LOST"], (await Assert.ThrowsAsync<XenApiFailure>(() => s2.Call("event.from", new object?[] { "*" }, token, 0.0))).Description);

        // And it still works: the running VM can be stopped, the other started.
        await s2.Call("VM.clean_shutdown", vm);
        await s2.Call("VM.start", halted, false, false);
        Assert.Equal("Running", await s2.Field("VM", halted, "power_state"));
        Assert.Single(List(await s2.Call("VM.get_by_name_label", "survivor")));
        Assert.Single(List(await s2.Call("pool.get_all")));
        Assert.Single(Map(await s2.Call("VM.get_all_records_where", "field \"is_control_domain\"=\"true\"")).Keys);
    }
}
