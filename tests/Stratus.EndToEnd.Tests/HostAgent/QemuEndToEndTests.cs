using System.Globalization;
using Stratus.Testing;
using Stratus.XenApi;
using Stratus.XenApi.Client;

namespace Stratus.EndToEnd.Tests.HostAgent;

/// <summary>
/// The qemu backend end to end, the way the controller drives it: a real agent process, XenAPI calls and the HTTP
/// transfer and console handlers only. Real VMs are few: one VM goes through import, boot, clean shutdown, a second
/// boot, a kill -9 of the agent and a hard shutdown by the agent that re-adopted it.
/// </summary>
[Trait("Category", "Slow")]
public sealed class QemuEndToEndTests(QemuAgentFixture fixture) : IClassFixture<QemuAgentFixture>
{
    private const long MiB = 1L << 20;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Vm_ImportBootShutdownAndAgentKill_StaysUnderControl()
    {
        fixture.Require();
        await using var s = await fixture.LoginAsync(Ct);

        // The host record says what runs the VMs.
        var host = Api.List(await s.Call("host.get_all"))[0];
        var software = Api.Map(await s.Call("host.get_software_version", host));
        Assert.Equal("qemu", software["backend"]);
        Assert.Equal("tcg", software["accelerator"]);

        // An ext SR of its own, next to the local SR the bootstrap made (the pool's default, also ext).
        Assert.Equal("ext", await s.Field("SR", await s.DefaultSr(), "type"));
        var srPath = Path.Combine(fixture.DataDirectory, "ext-e2e");
        var sr = await s.Ref("SR.create", host, Dict(("path", srPath)), "0", "e2e ext", "", "ext", "user", false, Dict());
        Assert.True(Api.Int(await s.Field("SR", sr, "physical_size")) > 0);

        // The test image, imported as qcow2 over HTTP.
        var vdi = await s.CreateVdi(sr, fixture.DiskVirtualSize, "test image");
        var (status, body) = await fixture.ImportAsync(s, vdi, fixture.Qcow2Disk, "qcow2", Ct);
        Assert.True(status == 200, $"import: {status} {body}");
        Assert.Equal(fixture.DiskVirtualSize, Api.Int(await s.Field("VDI", vdi, "virtual_size")));
        Assert.DoesNotContain("stratus-import-failed", Api.Map(await s.Field("VDI", vdi, "other_config")).Keys);
        Assert.True(Api.Int(await s.Field("VDI", vdi, "physical_utilisation")) > 0);

        // An HVM VM that boots from its disk, with a NIC on a network of its own.
        var vm = await CreateHvmVmAsync(s, "e2e-qemu");
        await s.CreateVbd(vm, vdi, "0");
        var network = await s.Ref("network.create", Dict(("name_label", "e2e net"), ("name_description", ""), ("other_config", Dict())));
        var vif = await s.Ref("VIF.create", Dict(
            ("device", "0"), ("network", network), ("VM", vm), ("MAC", ""), ("MTU", "1500"),
            ("other_config", Dict()), ("qos_algorithm_type", ""), ("qos_algorithm_params", Dict())));
        var mac = (string)(await s.Field("VIF", vif, "MAC"))!;

        await s.Call("VM.start", vm, false, false);
        Assert.Equal("Running", await s.Field("VM", vm, "power_state"));
        Assert.Equal(true, await s.Field("VIF", vif, "currently_attached"));
        var pid = (int)Api.Int(await s.Field("VM", vm, "domid"));
        var commandLine = await File.ReadAllTextAsync($"/proc/{pid}/cmdline", Ct);
        Assert.Contains($"mac={mac}", commandLine, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(srPath), commandLine, StringComparison.Ordinal);

        // Its VNC console: the location is the agent's CONNECT /console, which relays RFB from QEMU's VNC server.
        var consoles = Api.List(await s.Field("VM", vm, "consoles"));
        var console = Assert.Single(consoles);
        Assert.Equal("rfb", await s.Field("console", (string)console!, "protocol"));
        var location = new Uri((string)(await s.Field("console", (string)console!, "location"))!);
        Assert.Equal("/console", location.AbsolutePath);
        Assert.Equal(fixture.Agent.Url.Port, location.Port);
        Assert.Equal("RFB 003.008\n", await ConnectConsoleAsync(location.PathAndQuery + "&session_id=" + s.Ref));
        Assert.Equal("RFB 003.008\n", await ConnectConsoleAsync($"/console?ref={vm}&session_id={s.Ref}"));
        Assert.StartsWith("HTTP/1.1 403", await ConnectConsoleAsync(location.PathAndQuery + "&session_id=OpaqueRef:nobody", rawStatus: true));

        // The guest boots and says so on the serial console, read over HTTP.
        var banner = await fixture.WaitForBannerAsync(s, vm, Ct);
        Assert.StartsWith("stratus-test-image ready: hostname=", banner, StringComparison.Ordinal);
        var tail = await fixture.ConsoleLogAsync(s, vm, 1, Ct);
        Assert.Single(tail.TrimEnd('\n').Split('\n'));

        // Clean shutdown (ACPI power button): Halted, and event.from tells a watcher.
        var token = (string)Api.Map(await s.Call("event.from", new object?[] { "vm" }, "", 0.0))["token"]!;
        await s.Call("VM.clean_shutdown", vm);
        Assert.Equal("Halted", await s.Field("VM", vm, "power_state"));
        Assert.False(IsOurQemu(pid), "QEMU still runs after the clean shutdown");
        await WaitForEventAsync(s, token, vm, "Halted");

        // Start again, kill -9 the agent while the VM runs, start a new agent on the same data: it adopts the VM.
        await s.Call("VM.start", vm, false, false);
        var secondPid = (int)Api.Int(await s.Field("VM", vm, "domid"));
        await fixture.KillAndRestartAgentAsync(Ct);
        Assert.True(IsOurQemu(secondPid), "QEMU died with the agent");
        await using var after = await fixture.LoginAsync(Ct);
        Assert.Equal("Running", await after.Field("VM", vm, "power_state"));
        Assert.Equal(secondPid, Api.Int(await after.Field("VM", vm, "domid")));
        Assert.Contains("adopted", fixture.Agent.Output, StringComparison.Ordinal);

        // ... and controls it: hard shutdown goes through the re-opened QMP socket.
        await after.Call("VM.hard_shutdown", vm);
        Assert.Equal("Halted", await after.Field("VM", vm, "power_state"));
        Assert.False(IsOurQemu(secondPid), "QEMU still runs after the hard shutdown");
        Assert.Equal(false, await after.Field("VIF", vif, "currently_attached"));

        // A VM whose QEMU dies while the agent is down comes back Halted, its devices detached.
        await after.Call("VM.start", vm, false, false);
        var thirdPid = (int)Api.Int(await after.Field("VM", vm, "domid"));
        await fixture.Agent.KillAsync();
        await Processes.RunAsync("kill", ["-KILL", thirdPid.ToString(CultureInfo.InvariantCulture)], Ct);
        while (IsOurQemu(thirdPid))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), Ct);
        }

        await fixture.KillAndRestartAgentAsync(Ct);
        await using var third = await fixture.LoginAsync(Ct);
        Assert.Equal("Halted", await third.Field("VM", vm, "power_state"));
        Assert.Equal(false, await third.Field("VIF", vif, "currently_attached"));
        Assert.Contains("start", Api.List(await third.Field("VM", vm, "allowed_operations")));
    }

    /// <summary>Whether <paramref name="pid"/> is still a QEMU of this fixture (not gone, not a zombie, not reused).</summary>
    private bool IsOurQemu(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains(fixture.DataDirectory, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            // Gone (ENOENT/ESRCH) between the checks.
            return false;
        }
    }

    [Fact]
    public async Task VmStart_QemuCannotOpenTheKernel_StaysHaltedWithQemusMessage()
    {
        fixture.Require();
        await using var s = await fixture.LoginAsync(Ct);
        var vm = await CreateHvmVmAsync(s, "e2e-bad-kernel");
        var missing = Path.Combine(fixture.DataDirectory, "no-such-kernel");
        await s.Call("VM.set_PV_kernel", vm, missing);

        var failure = await s.Fails("VM.start", vm, false, false);

        Assert.Equal(XenErrors.FailedToStartEmulator, failure.Code);
        // QEMU's own words, e.g. "qemu: could not open kernel file '...': No such file or directory".
        Assert.Contains($"could not open kernel file '{missing}'", string.Join(" ", failure.Description), StringComparison.Ordinal);
        Assert.Equal("Halted", await s.Field("VM", vm, "power_state"));
        Assert.Empty(Api.Map(await s.Field("VM", vm, "current_operations")));
        Assert.Contains("start", Api.List(await s.Field("VM", vm, "allowed_operations")));
    }

    [Fact]
    public async Task VmStart_QemuCannotAllocateMemory_StaysHaltedWithQemusMessage()
    {
        fixture.Require();
        // A real QEMU that asks for an impossible amount of guest memory: the agent's own checks let 256 MiB through,
        // QEMU itself fails while setting up the machine.
        using var scratch = new TempDirectory("stq-mem");
        var wrapper = scratch.Combine("qemu-huge");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\nexec {TestEnvironment.FindExecutable("qemu-system-x86_64")} \"$@\" -m 64T\n", Ct);
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var data = scratch.Combine("data");
        await using var agent = await HostAgentProcess.StartAsync(data, Ct, "qemu", [.. fixture.AgentArguments(data), "--qemu", wrapper]);
        await using var s = await QemuAgentFixture.LoginAsync(agent.Url, Ct);
        var vm = await CreateHvmVmAsync(s, "e2e-huge");

        var failure = await s.Fails("VM.start", vm, false, false);

        Assert.Equal(XenErrors.FailedToStartEmulator, failure.Code);
        Assert.Contains("cannot set up guest memory", string.Join(" ", failure.Description), StringComparison.Ordinal);
        Assert.Equal("Halted", await s.Field("VM", vm, "power_state"));
        Assert.Empty(Directory.Exists(Path.Combine(data, "qemu")) ? Directory.EnumerateFiles(Path.Combine(data, "qemu"), "qemu.pid", SearchOption.AllDirectories) : []);
    }

    private static Task<string> CreateHvmVmAsync(XenSession s, string name) =>
        s.Ref("VM.create", Dict(
            ("name_label", name),
            ("memory_static_min", (128 * MiB).ToString(CultureInfo.InvariantCulture)),
            ("memory_dynamic_min", (256 * MiB).ToString(CultureInfo.InvariantCulture)),
            ("memory_dynamic_max", (256 * MiB).ToString(CultureInfo.InvariantCulture)),
            ("memory_static_max", (256 * MiB).ToString(CultureInfo.InvariantCulture)),
            ("VCPUs_max", "1"),
            ("VCPUs_at_startup", "1"),
            ("actions_after_shutdown", "destroy"),
            ("actions_after_reboot", "restart"),
            ("actions_after_crash", "destroy"),
            ("HVM_boot_policy", "BIOS order"),
            ("HVM_boot_params", Dict(("order", "c"))),
            ("other_config", Dict())));

    /// <summary>
    /// Sends <c>CONNECT path HTTP/1.1</c> over a plain socket, as nova's XenAPI driver and xapi clients do, and returns
    /// the first 12 bytes after the 200 (the RFB server's version greeting), or the status line when asked.
    /// </summary>
    private async Task<string> ConnectConsoleAsync(string pathAndQuery, bool rawStatus = false)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(fixture.Agent.Url.Host, fixture.Agent.Url.Port, Ct);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"CONNECT {pathAndQuery} HTTP/1.1\r\nHost: {fixture.Agent.Url.Authority}\r\n\r\n"), Ct);
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            Assert.Equal(1, await stream.ReadAsync(one, Ct));
            head.Add(one[0]);
        }

        var status = System.Text.Encoding.ASCII.GetString([.. head]);
        if (rawStatus)
        {
            return status;
        }

        Assert.StartsWith("HTTP/1.1 200", status, StringComparison.Ordinal);
        var greeting = new byte[12];
        await stream.ReadExactlyAsync(greeting, Ct);
        return System.Text.Encoding.ASCII.GetString(greeting);
    }

    /// <summary>Follows event.from from <paramref name="token"/> until the VM's record shows <paramref name="powerState"/>.</summary>
    private static async Task WaitForEventAsync(XenSession s, string token, string vm, string powerState)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var batch = Api.Map(await s.CallAsync("event.from", timeout.Token, new object?[] { "vm" }, token, 5.0));
            token = (string)batch["token"]!;
            foreach (var e in Api.List(batch["events"]).Select(Api.Map))
            {
                if ((string?)e["ref"] == vm && e.GetValueOrDefault("snapshot") is IReadOnlyDictionary<string, object?> snapshot
                    && (string?)snapshot["power_state"] == powerState)
                {
                    return;
                }
            }
        }
    }

    private static Dictionary<string, object?> Dict(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
}
