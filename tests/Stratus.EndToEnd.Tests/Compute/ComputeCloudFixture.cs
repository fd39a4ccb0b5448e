using System.Text.Json.Nodes;
using Stratus.Testing;

namespace Stratus.EndToEnd.Tests.Compute;

/// <summary>
/// One real controller managing two real sim host agents (compute1 and compute2, 8 GiB each), set up as DevStack
/// leaves a cloud, through the real CLIs: a demo project and user, flavors m1.nano (42) and m1.huge (bigger than any
/// host), a public cirros image, the demo project's private network with a router to the external public network,
/// and the demo user's key pair. Tests create their own servers under their own names.
/// </summary>
public sealed class ComputeCloudFixture : IAsyncLifetime
{
    public const string DemoPassword = "demo-secret";
    public const string ImageName = "cirros-0.3.4-x86_64-disk";
    public const int HugeRamMb = 16384;

    private readonly TempDirectory _data = new("stratus-e2e-compute");
    private readonly List<StratusProcess> _processes = [];

    public StratusProcess Cloud { get; private set; } = null!;

    public OpenStackClient Admin { get; private set; } = null!;

    public OpenStackClient Demo { get; private set; } = null!;

    public string PrivateNetworkId { get; private set; } = "";

    public string DemoProjectId { get; private set; } = "";

    public IReadOnlyList<string> HostNames { get; } = ["compute1", "compute2"];

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        TestEnvironment.Require("openstack", "the real OpenStack clients are the acceptance test");
        var hosts = new List<Uri>();
        foreach (var name in HostNames)
        {
            var agent = await HostAgentProcess.StartAsync(_data.Combine(name), ct, "sim", "--name", name, "--memory", "8GiB", "--cpus", "4");
            _processes.Add(agent);
            hosts.Add(agent.Url);
        }

        Cloud = await CloudProcess.StartAsync(_data.Path, hosts, ct);
        _processes.Add(Cloud);
        Admin = OpenStackClient.Admin(Cloud.Url);
        await WaitForComputeServicesAsync(ct);

        await Ok(Admin, ct, "project", "create", "demo");
        await Ok(Admin, ct, "user", "create", "--project", "demo", "--password", DemoPassword, "demo");
        await Ok(Admin, ct, "role", "add", "--project", "demo", "--user", "demo", "member");
        DemoProjectId = (await Json(Admin, ct, "project", "show", "demo"))["id"]!.GetValue<string>();
        Demo = new OpenStackClient(Cloud.Url, "demo", DemoPassword, "demo");

        await Ok(Admin, ct, "flavor", "create", "--id", "42", "--ram", "128", "--disk", "1", "--vcpus", "1", "m1.nano");
        await Ok(Admin, ct, "flavor", "create", "--id", "99", "--ram", HugeRamMb.ToString(System.Globalization.CultureInfo.InvariantCulture), "--disk", "1", "--vcpus", "1", "m1.huge");

        var image = _data.Combine("cirros.img");
        await File.WriteAllBytesAsync(image, new byte[1 << 20], ct);
        await Ok(Admin, ct, "image", "create", "--file", image, "--disk-format", "raw", "--container-format", "bare", "--public", ImageName);

        await Ok(Admin, ct, "network", "create", "--external", "public");
        await Ok(Admin, ct, "subnet", "create", "--network", "public", "--subnet-range", "172.24.4.0/24", "--no-dhcp", "public-subnet");
        PrivateNetworkId = (await Json(Demo, ct, "network", "create", "private"))["id"]!.GetValue<string>();
        await Ok(Demo, ct, "subnet", "create", "--network", "private", "--subnet-range", "10.0.0.0/24", "private-subnet");
        await Ok(Demo, ct, "router", "create", "router1");
        await Ok(Demo, ct, "router", "set", "--external-gateway", "public", "router1");
        await Ok(Demo, ct, "router", "add", "subnet", "router1", "private-subnet");
        await Ok(Demo, ct, "keypair", "create", "--private-key", _data.Combine("devstack.pem"), "devstack");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            await process.DisposeAsync();
        }

        _data.Dispose();
    }

    /// <summary>A name no other test uses.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 7)];

    public static async Task<CliResult> Ok(OpenStackClient client, CancellationToken ct, params string[] args)
    {
        var result = await client.OpenStackAsync(ct, args);
        Assert.True(result.ExitCode == 0, $"openstack {string.Join(' ', args)}: {result}");
        return result;
    }

    public static async Task<CliResult> NovaOk(OpenStackClient client, CancellationToken ct, params string[] args)
    {
        var result = await client.NovaAsync(ct, args);
        Assert.True(result.ExitCode == 0, $"nova {string.Join(' ', args)}: {result}");
        return result;
    }

    public static async Task<JsonObject> Json(OpenStackClient client, CancellationToken ct, params string[] args) =>
        JsonNode.Parse((await Ok(client, ct, [.. args, "-f", "json"])).Stdout)!.AsObject();

    public static async Task<JsonArray> JsonList(OpenStackClient client, CancellationToken ct, params string[] args) =>
        JsonNode.Parse((await Ok(client, ct, [.. args, "-f", "json"])).Stdout)!.AsArray();

    /// <summary>Polls `openstack server show` until the server reaches <paramref name="status"/> with no task (bounded by the test's token).</summary>
    public async Task<JsonObject> WaitForStatusAsync(OpenStackClient client, string server, string status, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        while (true)
        {
            var shown = await Json(client, timeout.Token, "server", "show", server);
            if (shown["status"]?.GetValue<string>() == status && shown["OS-EXT-STS:task_state"] is null)
            {
                return shown;
            }

            await Task.Delay(250, timeout.Token);
        }
    }

    private async Task WaitForComputeServicesAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        while (true)
        {
            var services = await JsonList(Admin, timeout.Token, "compute", "service", "list");
            var up = services.Count(s => s!["Binary"]!.GetValue<string>() == "nova-compute" && s["State"]!.GetValue<string>() == "up");
            if (up == HostNames.Count)
            {
                return;
            }

            await Task.Delay(250, timeout.Token);
        }
    }
}
