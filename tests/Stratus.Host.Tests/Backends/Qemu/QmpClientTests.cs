using System.Text.Json.Nodes;
using Stratus.Host.Backends.Qemu;
using Stratus.Host.Tests.Support;

namespace Stratus.Host.Tests.Backends.Qemu;

/// <summary>QmpClient against a scripted QMP peer (the protocol boundary); QmpClientQemuTests runs it against QEMU.</summary>
public sealed class QmpClientTests : IDisposable
{
    private readonly ShortTempDirectory _dir = new();
    private readonly FakeQmpServer _server;

    public QmpClientTests() => _server = new FakeQmpServer(_dir.File("qmp.sock"));

    public void Dispose()
    {
        _server.Dispose();
        _dir.Dispose();
    }

    private async Task<(QmpClient Client, FakeQmpServer.Connection Peer)> ConnectAsync(CancellationToken ct)
    {
        var accept = _server.AcceptNegotiatedAsync(ct);
        var client = await QmpClient.ConnectAsync(_server.Path, ct);
        return (client, await accept);
    }

    [Fact]
    public async Task Connect_Greeting_NegotiatesCapabilitiesAndReadsVersion()
    {
        var ct = TestContext.Current.CancellationToken;
        var (client, peer) = await ConnectAsync(ct);
        await using (client)
        using (peer)
        {
            Assert.Equal("7.2.3", client.Version);
        }
    }

    [Fact]
    public async Task Execute_RepliesOutOfOrder_EachCallGetsItsOwnReply()
    {
        var ct = TestContext.Current.CancellationToken;
        var (client, peer) = await ConnectAsync(ct);
        await using var _ = client;
        using var __ = peer;

        var status = client.ExecuteAsync("query-status", null, ct);
        var vnc = client.ExecuteAsync("query-vnc", null, ct);
        var first = await peer.ReadCommandAsync(ct);
        var second = await peer.ReadCommandAsync(ct);
        Assert.NotEqual(first.GetProperty("id").GetInt64(), second.GetProperty("id").GetInt64());
        var byName = new[] { first, second }.ToDictionary(c => c.GetProperty("execute").GetString()!);
        await peer.ReplyAsync(byName["query-vnc"], """{"enabled": true, "service": "5901"}""", ct);
        await peer.ReplyAsync(byName["query-status"], """{"status": "running", "running": true}""", ct);

        Assert.Equal("running", (await status).GetProperty("status").GetString());
        Assert.Equal("5901", (await vnc).GetProperty("service").GetString());
    }

    [Fact]
    public async Task Execute_Arguments_SentAsObject()
    {
        var ct = TestContext.Current.CancellationToken;
        var (client, peer) = await ConnectAsync(ct);
        await using var _ = client;
        using var __ = peer;

        var call = client.ExecuteAsync("balloon", new JsonObject { ["value"] = 268435456L }, ct);
        var command = await peer.ReadCommandAsync(ct);
        await peer.ReplyAsync(command, "{}", ct);
        await call;

        Assert.Equal("balloon", command.GetProperty("execute").GetString());
        Assert.Equal(268435456L, command.GetProperty("arguments").GetProperty("value").GetInt64());
    }

    [Fact]
    public async Task Execute_ErrorReply_ThrowsWithClassAndDescription()
    {
        var ct = TestContext.Current.CancellationToken;
        var (client, peer) = await ConnectAsync(ct);
        await using var _ = client;
        using var __ = peer;

        var call = client.ExecuteAsync("balloon", new JsonObject { ["value"] = 1 }, ct);
        var command = await peer.ReadCommandAsync(ct);
        await peer.SendAsync($$"""{"error": {"class": "DeviceNotActive", "desc": "No balloon device has been activated"}, "id": {{command.GetProperty("id").GetRawText()}}}""", ct);

        var error = await Assert.ThrowsAsync<QmpErrorException>(() => call);
        Assert.Equal(("balloon", "DeviceNotActive", "No balloon device has been activated"), (error.Command, error.ErrorClass, error.Description));
    }

    [Fact]
    public async Task Events_InterleavedWithReplies_DeliveredInOrderWithData()
    {
        var ct = TestContext.Current.CancellationToken;
        var (client, peer) = await ConnectAsync(ct);
        await using var _ = client;
        using var __ = peer;

        var call = client.ExecuteAsync("system_powerdown", null, ct);
        var command = await peer.ReadCommandAsync(ct);
        await peer.SendAsync("""{"timestamp": {"seconds": 1700000000, "microseconds": 250000}, "event": "POWERDOWN"}""", ct);
        await peer.ReplyAsync(command, "{}", ct);
        await peer.SendAsync("""{"timestamp": {"seconds": 1700000001, "microseconds": 0}, "event": "SHUTDOWN", "data": {"guest": true, "reason": "guest-shutdown"}}""", ct);
        await call;

        var powerdown = await client.Events.ReadAsync(ct);
        var shutdown = await client.Events.ReadAsync(ct);
        Assert.Equal("POWERDOWN", powerdown.Name);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250), powerdown.Timestamp);
        Assert.Equal("SHUTDOWN", shutdown.Name);
        Assert.Equal("guest-shutdown", shutdown.Data.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task PeerCloses_PendingCommandFailsAndEventsComplete()
    {
        var ct = TestContext.Current.CancellationToken;
        var (client, peer) = await ConnectAsync(ct);
        await using var _ = client;

        var call = client.ExecuteAsync("quit", null, ct);
        await peer.ReadCommandAsync(ct);
        peer.Dispose();

        await Assert.ThrowsAsync<IOException>(() => call);
        await client.Completion.WaitAsync(ct);
        Assert.False(await client.Events.WaitToReadAsync(ct));
        await Assert.ThrowsAsync<IOException>(() => client.ExecuteAsync("query-status", null, ct));
    }

    [Fact]
    public async Task Execute_Cancelled_ThrowsAndLateReplyIsIgnored()
    {
        var ct = TestContext.Current.CancellationToken;
        var (client, peer) = await ConnectAsync(ct);
        await using var _ = client;
        using var __ = peer;

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var call = client.ExecuteAsync("query-status", null, cancel.Token);
        var abandoned = await peer.ReadCommandAsync(ct);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        await peer.ReplyAsync(abandoned, """{"status": "late"}""", ct);
        var next = client.ExecuteAsync("query-name", null, ct);
        var command = await peer.ReadCommandAsync(ct);
        await peer.ReplyAsync(command, """{"name": "vm1"}""", ct);
        Assert.Equal("vm1", (await next).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Connect_PeerSendsNoGreeting_Throws()
    {
        var ct = TestContext.Current.CancellationToken;
        var accept = Task.Run(async () =>
        {
            using var peer = await _server.AcceptAsync(ct);
            await peer.SendAsync("""{"return": {}}""", ct);
        }, ct);

        await Assert.ThrowsAsync<IOException>(() => QmpClient.ConnectAsync(_server.Path, ct));
        await accept;
    }

    [Fact]
    public async Task Connect_NoSocket_Throws()
    {
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(
            () => QmpClient.ConnectAsync(_dir.File("absent.sock"), TestContext.Current.CancellationToken));
    }
}
