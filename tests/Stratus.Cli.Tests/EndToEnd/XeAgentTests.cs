using Stratus.Testing;

namespace Stratus.Cli.Tests.EndToEnd;

/// <summary>The real stratus xe against a real host agent (stratus host serve, sim backend) on a free port.</summary>
[Trait("Category", "Slow")]
public sealed class XeAgentTests : IAsyncLifetime
{
    private const string OrderViolation = "The dynamic memory range violates constraint static_min <= dynamic_min <= dynamic_max <= static_max.\n";

    private readonly TempDirectory _data = new();
    private StratusProcess _agent = null!;

    public async ValueTask InitializeAsync() => _agent = await HostAgentProcess.StartAsync(_data.Path, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _agent.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task VmList_FreshAgent_ControlDomainInXeLayout()
    {
        var result = await XeAsync("vm-list");

        Assert.Equal((0, ""), (result.ExitCode, result.Stderr));
        Assert.Matches(
            "^uuid \\( RO\\)           : " + Uuid + "\n     name-label \\( RW\\): Control domain on host: .+\n    power-state \\( RO\\): running\n\n\n$",
            result.Stdout);
    }

    [Fact]
    public async Task ParamSet_SeedCommands_WorkAndOrderViolationIsReported()
    {
        var vm = await InstallAsync("devstack-domu");
        Assert.Equal(0, (await XeAsync("vm-memory-limits-set", "uuid=" + vm, "static-min=512MiB", "static-max=6GiB", "dynamic-min=6GiB", "dynamic-max=6GiB")).ExitCode);

        // The seed limits the OpenStack VM to 2 GB with exactly these two commands.
        var first = await XeAsync("vm-param-set", "uuid=" + vm, "memory-static-min=2147483648");
        var second = await XeAsync("vm-param-set", "uuid=" + vm, "memory-dynamic-min=2147483648");

        Assert.Equal((0, "", ""), (first.ExitCode, first.Stdout, first.Stderr));
        Assert.Equal((0, "", ""), (second.ExitCode, second.Stdout, second.Stderr));
        Assert.Equal("2147483648\n", (await XeAsync("vm-param-get", "uuid=" + vm, "param-name=memory-static-min")).Stdout);
        Assert.Equal("2147483648\n", (await XeAsync("vm-param-get", "uuid=" + vm, "param-name=memory-dynamic-min")).Stdout);

        // static_min above dynamic_min breaks static_min <= dynamic_min <= dynamic_max <= static_max.
        var violation = await XeAsync("vm-param-set", "uuid=" + vm, "memory-static-min=4294967296");

        Assert.Equal((1, "", OrderViolation), (violation.ExitCode, violation.Stdout, violation.Stderr));
        Assert.Equal("2147483648\n", (await XeAsync("vm-param-get", "uuid=" + vm, "param-name=memory-static-min")).Stdout);
    }

    [Fact]
    public async Task Lifecycle_StartShutdown_AndBadPowerStateNamesTheVm()
    {
        var vm = await InstallAsync("web1");

        Assert.Equal((0, "", ""), Tuple(await XeAsync("vm-start", "vm=web1")));
        Assert.Equal("running\n", (await XeAsync("vm-param-get", "uuid=" + vm, "param-name=power-state")).Stdout);
        var again = await XeAsync("vm-start", "uuid=" + vm);
        Assert.Equal((0, "", ""), Tuple(await XeAsync("vm-reboot", "uuid=" + vm)));
        Assert.Equal((0, "", ""), Tuple(await XeAsync("vm-shutdown", "uuid=" + vm, "--force")));

        Assert.Equal(1, again.ExitCode);
        Assert.Equal(
            "You attempted an operation on a VM that was not in an appropriate power state at the time; for example, you attempted to start a VM that was already running. The parameters returned are the VM's handle, and the expected and actual VM state at the time of the call.\n" +
            $"vm: {vm} (web1)\nexpected: halted\nactual: running\n",
            again.Stderr);
        Assert.Equal("halted\n", (await XeAsync("vm-param-get", "uuid=" + vm, "param-name=power-state")).Stdout);
        Assert.Equal("\n", (await XeAsync("task-list", "--minimal")).Stdout);
    }

    [Fact]
    public async Task Storage_DiskAddListsAndUninstallDestroysOwnedDisk()
    {
        var vm = await InstallAsync("db1");
        Assert.Equal((0, "", ""), Tuple(await XeAsync("vm-disk-add", "uuid=" + vm, "disk-size=1GiB", "device=1")));
        var disk = (await XeAsync("vdi-list", "name-label=Created by xe", "--minimal")).Stdout.Trim();
        Assert.Matches("^" + Uuid + "$", disk);
        Assert.Equal("1073741824\n", (await XeAsync("vdi-param-get", "uuid=" + disk, "param-name=virtual-size")).Stdout);
        Assert.Contains("vm-name-label ( RO): db1\n", (await XeAsync("vbd-list", "vdi-uuid=" + disk)).Stdout, StringComparison.Ordinal);

        var uninstall = await XeAsync("vm-uninstall", "uuid=" + vm, "--force");

        Assert.Equal(0, uninstall.ExitCode);
        Assert.StartsWith($"The following items are about to be destroyed\nVM : {vm} (db1)\n", uninstall.Stdout, StringComparison.Ordinal);
        Assert.Contains($"VDI: {disk} (Created by xe) \n", uninstall.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("All objects destroyed\n", uninstall.Stdout, StringComparison.Ordinal);
        Assert.Equal("", (await XeAsync("vdi-list", "uuid=" + disk)).Stdout);
        Assert.Equal("\n", (await XeAsync("vm-list", "uuid=" + vm, "--minimal")).Stdout);
    }

    [Fact]
    public async Task SrCreate_Nfs_PbdCarriesDeviceConfig()
    {
        var sr = await XeAsync("sr-create", "type=nfs", "name-label=NFS VMs", "shared=true", "content-type=user",
            "device-config:server=127.0.0.1", "device-config:serverpath=/export/vms");

        Assert.Equal(0, sr.ExitCode);
        var uuid = sr.Stdout.Trim();
        Assert.Equal("nfs\n", (await XeAsync("sr-param-get", "uuid=" + uuid, "param-name=type")).Stdout);
        var pbd = (await XeAsync("pbd-list", "sr-uuid=" + uuid, "params=device-config")).Stdout;
        Assert.StartsWith("device-config (MRO)    : ", pbd, StringComparison.Ordinal);
        Assert.Contains("server: 127.0.0.1", pbd, StringComparison.Ordinal);
        Assert.Contains("serverpath: /export/vms", pbd, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Network_CreateVifAndList()
    {
        var vm = await InstallAsync("net1");
        var network = (await XeAsync("network-create", "name-label=private")).Stdout.Trim();
        var vif = await XeAsync("vif-create", "vm-uuid=" + vm, "network-uuid=" + network, "device=0", "mac=aa:bb:cc:00:00:01");

        Assert.Equal(0, vif.ExitCode);
        var list = await XeAsync("vm-vif-list", "uuid=" + vm);
        Assert.Contains("MAC ( RO): aa:bb:cc:00:00:01\n", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("network-name-label ( RO): private\n", list.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WrongPassword_AuthenticationFailed()
    {
        var result = await XeProcess.RunAsync(["vm-list", "-s", "127.0.0.1", "-p", Port, "-pw", "wrong"], TestContext.Current.CancellationToken);

        Assert.Equal((1, "", "Authentication failed\nFor usage run: 'xe help'\n"), Tuple(result));
    }

    [Fact]
    public async Task Connection_FromXeExtraArgsAndFromUrl_Work()
    {
        var ct = TestContext.Current.CancellationToken;
        var viaEnvironment = await XeProcess.RunAsync(["host-list", "--minimal"], ct,
            new Dictionary<string, string> { ["XE_EXTRA_ARGS"] = $"server=127.0.0.1,port={Port},password={HostAgentProcess.Password}" });
        var viaUrl = await XeProcess.RunAsync(["host-list", "--minimal", "-s", _agent.Url.ToString(), "-pw", HostAgentProcess.Password], ct);

        Assert.Equal(0, viaEnvironment.ExitCode);
        Assert.Matches("^" + Uuid + "\n$", viaEnvironment.Stdout);
        Assert.Equal(viaEnvironment.Stdout, viaUrl.Stdout);
    }

    [Fact]
    public async Task Grammar_TokensSystemCommandLineWouldClaim_ReachXeUntouched()
    {
        var ct = TestContext.Current.CancellationToken;

        // -h names the server, @x is no response file, -- is an ordinary token: none is System.CommandLine's.
        var dashH = await XeProcess.RunAsync(["host-list", "--minimal", "-h", "127.0.0.1", "-p", Port, "-pw", HostAgentProcess.Password, "name-label=@x"], ct);
        var help = await XeProcess.RunAsync(["vm-list", "--help"], ct);

        Assert.Equal((0, "\n", ""), Tuple(dashH));
        Assert.Equal((0, ""), (help.ExitCode, help.Stdout));
        Assert.StartsWith("Usage:\n  xe <command>\n", help.Stderr, StringComparison.Ordinal);
    }

    private string Port => _agent.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private const string Uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private static (int, string, string) Tuple(XeResult result) => (result.ExitCode, result.Stdout, result.Stderr);

    private Task<XeResult> XeAsync(params string[] args) =>
        XeProcess.RunAsync([.. args, "-s", "127.0.0.1", "-p", Port, "-pw", HostAgentProcess.Password], TestContext.Current.CancellationToken);

    private async Task<string> InstallAsync(string name)
    {
        var install = await XeAsync("vm-install", "template=Other install media", "new-name-label=" + name);
        Assert.True(install.ExitCode == 0, install.Stderr);
        Assert.Matches("^" + Uuid + "\n$", install.Stdout);
        return install.Stdout.Trim();
    }
}
