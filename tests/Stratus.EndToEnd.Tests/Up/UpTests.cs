using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Stratus.Testing;

namespace Stratus.EndToEnd.Tests.Up;

/// <summary>
/// <c>stratus up</c> as a user runs it, then the seed's walk-through with the real clients: server create, nova
/// service-list, nova list --all-tenants, nova show, xe vm-list against the embedded agent, stratus why, logs and
/// status; then Ctrl-C, a second up on the same data, and everything is still there, once.
/// </summary>
[Trait("Category", "Slow")]
public sealed class UpTests
{
    private const string AdminPassword = "e2e-admin-pw";
    private const string ReadyPrefix = "Stratus is up: ";

    [Fact]
    public async Task Up_SeedWalkThrough_ThenRestartKeepsEverything()
    {
        var ct = TestContext.Current.CancellationToken;
        TestEnvironment.Require("busybox", "the test image's userland (busybox-static)");
        TestEnvironment.Require("mkfs.vfat", "the test image's boot disk (dosfstools)");
        TestEnvironment.Require("qemu-img", "the test image's qcow2 disk (qemu-utils)");
        using var directory = new TempDirectory("stratus-up");
        var data = directory.Combine("data");
        var localrc = directory.Combine("localrc");
        await File.WriteAllTextAsync(localrc, $"ADMIN_PASSWORD={AdminPassword}\nRABBIT_PASSWORD=guest\n", ct);
        var port = FreePortPair();
        string[] up = ["up", "--backend", "sim", "--data", data, "--listen", $"127.0.0.1:{port}", "--config", localrc];
        try
        {
            Uri cloud;
            string serverId;
            await using (var first = await StratusProcess.StartAsync(up, ReadyPrefix, ct))
            {
                cloud = first.Url;
                Assert.Contains("Backend: sim (as requested)", first.Output);
                Assert.Contains("config: RABBIT_PASSWORD: not needed (Stratus has no message bus", first.Output);
                Assert.Contains($"source {Path.Combine(data, "demo-openrc")}", first.Output);
                Assert.Contains($"export OS_AUTH_URL={cloud.ToString().TrimEnd('/')}/identity/v3", await File.ReadAllTextAsync(Path.Combine(data, "demo-openrc"), ct));
                Assert.Contains($"export XE_EXTRA_ARGS='server=127.0.0.1,port={port + 1},username=root,password=", await File.ReadAllTextAsync(Path.Combine(data, "admin-openrc"), ct));

                var demo = new OpenStackClient(cloud, "demo", AdminPassword, "demo");
                var admin = new OpenStackClient(cloud, "admin", AdminPassword, "admin");
                var created = await CliSteps.RunAsync(demo, ct, "server", "create", "--flavor", "m1.micro", "--image", "cirros", "--network", "private", "--wait", "vm1", "-f", "json");
                serverId = created!["id"]!.GetValue<string>();
                Assert.Equal("ACTIVE", created["status"]!.GetValue<string>());
                // DevStack's router1 joins private to public: a floating IP from the public pool reaches vm1.
                var floating = (await CliSteps.RunAsync(demo, ct, "floating", "ip", "create", "public", "-f", "json"))!["floating_ip_address"]!.GetValue<string>();
                var added = await demo.OpenStackAsync(ct, "server", "add", "floating", "ip", "vm1", floating);
                Assert.True(added.ExitCode == 0, added.ToString());
                Assert.Contains(floating, (await CliSteps.RunAsync(demo, ct, "server", "show", "vm1", "-f", "json"))!["addresses"]!.ToJsonString());

                // m1.nano's 64 MB cannot hold the image's kernel: nova's own refusal, before anything is created.
                var nano = await demo.OpenStackAsync(ct, "server", "create", "--flavor", "m1.nano", "--image", "cirros", "--network", "private", "vm-nano");
                Assert.NotEqual(0, nano.ExitCode);
                Assert.Contains("Flavor's memory is too small for requested image.", nano.Stderr);

                var services = await admin.NovaAsync(ct, "service-list");
                Assert.True(services.ExitCode == 0, services.ToString());
                foreach (var binary in new[] { "nova-conductor", "nova-scheduler", "nova-compute", "nova-osapi_compute" })
                {
                    Assert.Contains(services.Stdout.Split('\n'), l => l.Contains(binary, StringComparison.Ordinal) && l.Contains("| up ", StringComparison.Ordinal));
                }

                var all = await admin.NovaAsync(ct, "list", "--all-tenants");
                Assert.True(all.ExitCode == 0, all.ToString());
                Assert.Contains(all.Stdout.Split('\n'), l => l.Contains(serverId, StringComparison.Ordinal) && l.Contains("ACTIVE", StringComparison.Ordinal));
                var show = await admin.NovaAsync(ct, "show", serverId);
                Assert.True(show.ExitCode == 0, show.ToString());
                Assert.Contains("m1.micro", show.Stdout);

                var secrets = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(data, "secrets.json"), ct))!;
                var vms = await StratusAsync(ct, "xe", "vm-list", "-s", "127.0.0.1", "-p", (port + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "-u", "root", "-pw", secrets["HostPassword"]!.GetValue<string>(), "power-state=running", "params=name-label", "--minimal");
                Assert.True(vms.ExitCode == 0, vms.ToString());
                Assert.Contains("instance-", vms.Stdout);

                var why = await StratusAsync(ct, "why", "vm1", "--data", data);
                Assert.True(why.ExitCode == 0, why.ToString());
                Assert.Contains($"Server vm1 ({serverId})", why.Stdout);
                Assert.Contains("ok   scheduling (conductor_schedule_and_build_instances)", why.Stdout);
                Assert.Contains("passed all filters", why.Stdout);
                Assert.Contains("ok   build and start (compute__do_build_and_run_instance) on ", why.Stdout);
                Assert.Contains("Nothing to fix.", why.Stdout);

                // The create's request id follows the request from the API through the conductor into the host agent.
                var events = await CliSteps.RunAsync(demo, ct, "server", "event", "list", serverId, "-f", "json");
                var requestId = events!.AsArray().Single(e => e!["Action"]!.GetValue<string>() == "create")!["Request ID"]!.GetValue<string>();
                var logs = await StratusAsync(ct, "logs", "--data", data, "--request", requestId);
                Assert.True(logs.ExitCode == 0, logs.ToString());
                Assert.Contains(logs.Stdout.Split('\n'), l => l.Contains(" controller ", StringComparison.Ordinal) && l.Contains("POST /compute/v2.1/servers status: 202", StringComparison.Ordinal));
                Assert.Contains(logs.Stdout.Split('\n'), l => l.Contains(" host-agent ", StringComparison.Ordinal) && l.Contains("Started VM", StringComparison.Ordinal));

                var status = await StratusAsync(ct, "status", "--data", data);
                Assert.True(status.ExitCode == 0, status.ToString());

                // Ctrl-C.
                using (var interrupt = Process.Start("kill", ["-INT", first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                {
                    await interrupt!.WaitForExitAsync(ct);
                }

                using var stopped = CancellationTokenSource.CreateLinkedTokenSource(ct);
                stopped.CancelAfter(TimeSpan.FromMinutes(1));
                await first.WaitForLinesAsync("Stopping Stratus", 1, stopped.Token);
                while (!first.HasExited)
                {
                    await Task.Delay(50, stopped.Token);
                }

                Assert.False(File.Exists(Path.Combine(data, "run", "state.json")), first.Output);
                var afterStop = await StratusAsync(ct, "status", "--data", data);
                Assert.Equal(1, afterStop.ExitCode);
            }

            await using (var second = await StratusProcess.StartAsync(up, ReadyPrefix, ct))
            {
                Assert.DoesNotContain("Building the test image", second.Output);
                var admin = new OpenStackClient(cloud, "admin", AdminPassword, "admin");
                var servers = await CliSteps.RunAsync(admin, ct, "server", "list", "--all-projects", "-f", "json");
                Assert.Equal(serverId, Assert.Single(servers!.AsArray())!["ID"]!.GetValue<string>());
                var images = await CliSteps.RunAsync(admin, ct, "image", "list", "-f", "json");
                Assert.Equal("cirros", Assert.Single(images!.AsArray())!["Name"]!.GetValue<string>());
                var networks = await CliSteps.RunAsync(admin, ct, "network", "list", "-f", "json");
                Assert.Equal(["private", "public"], networks!.AsArray().Select(n => n!["Name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
                var flavors = await CliSteps.RunAsync(admin, ct, "flavor", "list", "-f", "json");
                Assert.Equal(7, flavors!.AsArray().Count);
                var users = await CliSteps.RunAsync(admin, ct, "user", "list", "-f", "json");
                Assert.Single(users!.AsArray(), u => u!["Name"]!.GetValue<string>() == "demo");

                var status = await StratusAsync(ct, "status", "--data", data);
                Assert.True(status.ExitCode == 0, status.ToString());
                var down = await StratusAsync(ct, "down", "--data", data);
                Assert.True(down.ExitCode == 0, down.ToString());
                Assert.True(second.HasExited || await ExitsAsync(second, ct), second.Output);
            }
        }
        finally
        {
            await StratusAsync(CancellationToken.None, "down", "--data", data);
        }
    }

    private static async Task<bool> ExitsAsync(StratusProcess process, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (!process.HasExited)
        {
            await Task.Delay(50, timeout.Token);
        }

        return true;
    }

    /// <summary>Two consecutive free ports: the controller's and the embedded host agent's (the next one).</summary>
    private static int FreePortPair()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var first = new TcpListener(IPAddress.Loopback, 0);
            first.Start();
            var port = ((IPEndPoint)first.LocalEndpoint).Port;
            if (port >= 65535)
            {
                continue;
            }

            try
            {
                using var second = new TcpListener(IPAddress.Loopback, port + 1);
                second.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another pair.
            }
        }

        throw new InvalidOperationException("no two consecutive free ports on 127.0.0.1");
    }

    private static async Task<CliResult> StratusAsync(CancellationToken ct, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(StratusProcess.StratusDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
