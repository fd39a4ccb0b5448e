using Stratus.Host.Backends.Qemu;
using Stratus.Host.Processes;
using Stratus.Host.Tests.Support;

namespace Stratus.Host.Tests.Backends.Qemu;

/// <summary>QmpClient against a real QEMU (a machine that never runs a guest: -S, no disks).</summary>
[Trait("Category", "Slow")]
[Collection(QemuCollection.Name)]
public sealed class QmpClientQemuTests
{
    [Fact]
    public async Task Qmp_RealQemu_CommandsEventsAndQuit()
    {
        var ct = TestContext.Current.CancellationToken;
        var qemu = Requires.Qemu();
        using var dir = new ShortTempDirectory();
        var socket = dir.File("qmp.sock");
        var pidFile = dir.File("qemu.pid");
        var uuid = Guid.NewGuid().ToString();
        await ExternalCommand.RunCheckedAsync(qemu,
            ["-uuid", uuid, "-S", "-accel", "tcg", "-m", "64M", "-nodefaults", "-display", "none",
             "-chardev", $"socket,id=qmp,path={socket},server=on,wait=off", "-mon", "chardev=qmp,mode=control",
             "-pidfile", pidFile, "-daemonize"], ct);
        var pid = (await QemuProcess.ReadPidFileAsync(pidFile, ct))!.Value;
        try
        {
            await using var client = await QmpClient.ConnectAsync(socket, ct);

            Assert.Matches(@"^\d+\.\d+\.\d+$", client.Version);
            Assert.Equal("prelaunch", (await client.ExecuteAsync("query-status", null, ct)).GetProperty("status").GetString());
            var unknown = await Assert.ThrowsAsync<QmpErrorException>(() => client.ExecuteAsync("no-such-command", null, ct));
            Assert.Equal("CommandNotFound", unknown.ErrorClass);

            await client.ExecuteAsync("cont", null, ct);
            Assert.Equal("RESUME", (await client.Events.ReadAsync(ct)).Name);
            await client.ExecuteAsync("stop", null, ct);
            Assert.Equal("STOP", (await client.Events.ReadAsync(ct)).Name);

            try
            {
                await client.ExecuteAsync("quit", null, ct);
            }
            catch (IOException)
            {
                // QEMU may close the socket before its reply is read.
            }

            var shutdown = await client.Events.ReadAsync(ct);
            Assert.Equal("SHUTDOWN", shutdown.Name);
            Assert.Equal("host-qmp-quit", shutdown.Data.GetProperty("reason").GetString());
            await client.Completion.WaitAsync(ct);
            Assert.True(await QemuProcess.WaitForExitAsync(pid, uuid, TimeSpan.FromMinutes(1), TimeProvider.System, ct));
        }
        finally
        {
            QemuProcess.Kill(pid, uuid);
        }
    }
}
