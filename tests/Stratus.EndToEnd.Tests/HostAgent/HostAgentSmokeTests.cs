using Stratus.Testing;
using Stratus.XenApi;
using Stratus.XenApi.Client;

namespace Stratus.EndToEnd.Tests.HostAgent;

public sealed class HostAgentSmokeTests
{
    [Fact]
    public async Task Login_BothTransports_SeeTheSameControlDomain()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var agent = await HostAgentProcess.StartAsync(data.Path, ct);
        foreach (var transport in new[] { XenTransport.XmlRpc, XenTransport.JsonRpc })
        {
            using var client = new XenApiClient(agent.Url, transport);
            await using var session = await XenSession.LoginAsync(client, "root", HostAgentProcess.Password, ct);
            var vms = await session.GetAllRecordsAsync("VM", ct);
            var dom0 = Assert.Single(vms.Values, v => v["is_control_domain"] is true);
            Assert.Equal("Running", dom0["power_state"]);
        }
    }

    [Fact]
    public async Task Login_WrongPassword_FailsWithAuthenticationError()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var agent = await HostAgentProcess.StartAsync(data.Path, ct);
        using var client = new XenApiClient(agent.Url, XenTransport.XmlRpc);
        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => XenSession.LoginAsync(client, "root", "wrong", ct));
        Assert.Equal(["SESSION_AUTHENTICATION_FAILED", "root", "Authentication failure"], failure.Description);
    }
}
