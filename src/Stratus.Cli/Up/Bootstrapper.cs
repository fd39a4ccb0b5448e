using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Stratus.Cli.Up;

/// <summary>
/// DevStack's first-run setup, through the controller's own APIs and idempotent (a second run finds everything and
/// creates nothing): the demo project and user, roles, DevStack's flavors, a private and a public network with a
/// floating-IP pool (router1 between them), the default security group, and the test image registered as <c>cirros</c>.
/// </summary>
internal sealed partial class Bootstrapper(UpSettings settings, string adminPassword, ILogger<Bootstrapper> logger)
{
    /// <summary>DevStack's flavors (lib/nova create_flavors): name, id, RAM MB, disk GB, vCPUs.</summary>
    public static readonly (string Name, string Id, int Ram, int Disk, int Vcpus)[] Flavors =
    [
        ("m1.nano", "42", 64, 1, 1),
        ("m1.micro", "84", 128, 1, 1),
        ("m1.tiny", "1", 512, 1, 1),
        ("m1.small", "2", 2048, 20, 1),
        ("m1.medium", "3", 4096, 40, 2),
        ("m1.large", "4", 8192, 80, 4),
        ("m1.xlarge", "5", 16384, 160, 8),
    ];

    /// <summary>Runs every step; <paramref name="imageFile"/> builds the test image (qcow2) when it is not registered yet.</summary>
    public async Task RunAsync(Func<CancellationToken, Task<string>> imageFile, CancellationToken cancellationToken)
    {
        using var admin = await CloudClient.LoginAsync(settings.BaseUrl, "admin", adminPassword, "admin", cancellationToken);
        var demoProject = await EnsureProjectAsync(admin, "demo", cancellationToken);
        var demoUser = await EnsureUserAsync(admin, "demo", demoProject, cancellationToken);
        var roles = await RolesAsync(admin, cancellationToken);
        await admin.PutAsync($"identity/v3/projects/{demoProject}/users/{demoUser}/roles/{roles["member"]}", null, cancellationToken);
        await admin.PutAsync($"identity/v3/projects/{demoProject}/users/{demoUser}/roles/{roles["reader"]}", null, cancellationToken);
        await EnsureFlavorsAsync(admin, cancellationToken);
        var publicNetwork = await EnsureNetworkAsync(admin, "public", settings.FloatingRange, external: true, projectId: admin.ProjectId, cancellationToken);
        var privateNetwork = await EnsureNetworkAsync(admin, "private", settings.FixedRange, external: false, projectId: demoProject, cancellationToken);
        await EnsureRouterAsync(admin, publicNetwork, privateNetwork, demoProject, cancellationToken);
        await EnsureSecurityGroupAsync(admin, demoProject, cancellationToken);
        await EnsureImageAsync(admin, imageFile, cancellationToken);
        LogBootstrapped(logger, demoProject, publicNetwork);
    }

    private static async Task<string> EnsureProjectAsync(CloudClient admin, string name, CancellationToken cancellationToken)
    {
        var found = await admin.GetAsync($"identity/v3/projects?name={name}", cancellationToken);
        if (found["projects"]?.AsArray().FirstOrDefault()?["id"]?.GetValue<string>() is { } id)
        {
            return id;
        }

        var created = await admin.PostAsync("identity/v3/projects", new JsonObject
        {
            ["project"] = new JsonObject { ["name"] = name, ["domain_id"] = "default", ["description"] = $"The {name} project (stratus up)", ["enabled"] = true },
        }, cancellationToken);
        return created["project"]!["id"]!.GetValue<string>();
    }

    private async Task<string> EnsureUserAsync(CloudClient admin, string name, string projectId, CancellationToken cancellationToken)
    {
        var found = await admin.GetAsync($"identity/v3/users?name={name}", cancellationToken);
        if (found["users"]?.AsArray().FirstOrDefault()?["id"]?.GetValue<string>() is { } id)
        {
            return id;
        }

        // DevStack gives demo the admin password too (ADMIN_PASSWORD).
        var created = await admin.PostAsync("identity/v3/users", new JsonObject
        {
            ["user"] = new JsonObject { ["name"] = name, ["domain_id"] = "default", ["password"] = adminPassword, ["default_project_id"] = projectId, ["enabled"] = true },
        }, cancellationToken);
        return created["user"]!["id"]!.GetValue<string>();
    }

    private static async Task<Dictionary<string, string>> RolesAsync(CloudClient admin, CancellationToken cancellationToken)
    {
        var roles = await admin.GetAsync("identity/v3/roles", cancellationToken);
        return roles["roles"]!.AsArray().ToDictionary(r => r!["name"]!.GetValue<string>(), r => r!["id"]!.GetValue<string>(), StringComparer.Ordinal);
    }

    private static async Task EnsureFlavorsAsync(CloudClient admin, CancellationToken cancellationToken)
    {
        var existing = await admin.GetAsync("compute/v2.1/flavors/detail?is_public=None", cancellationToken);
        var names = existing["flavors"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, id, ram, disk, vcpus) in Flavors.Where(f => !names.Contains(f.Name)))
        {
            await admin.PostAsync("compute/v2.1/flavors", new JsonObject
            {
                ["flavor"] = new JsonObject { ["name"] = name, ["id"] = id, ["ram"] = ram, ["disk"] = disk, ["vcpus"] = vcpus },
            }, cancellationToken);
        }
    }

    private static async Task<string> EnsureNetworkAsync(CloudClient admin, string name, string cidr, bool external, string projectId, CancellationToken cancellationToken)
    {
        var found = await admin.GetAsync($"networking/v2.0/networks?name={name}", cancellationToken);
        if (found["networks"]?.AsArray().FirstOrDefault()?["id"]?.GetValue<string>() is { } id)
        {
            return id;
        }

        var network = await admin.PostAsync("networking/v2.0/networks", new JsonObject
        {
            ["network"] = new JsonObject { ["name"] = name, ["router:external"] = external, ["project_id"] = projectId, ["admin_state_up"] = true },
        }, cancellationToken);
        var networkId = network["network"]!["id"]!.GetValue<string>();
        var (gateway, first, last) = Ranges(cidr);
        await admin.PostAsync("networking/v2.0/subnets", new JsonObject
        {
            ["subnet"] = new JsonObject
            {
                ["name"] = $"{name}-subnet",
                ["network_id"] = networkId,
                ["project_id"] = projectId,
                ["ip_version"] = 4,
                ["cidr"] = cidr,
                ["gateway_ip"] = gateway,
                ["enable_dhcp"] = !external,
                ["allocation_pools"] = new JsonArray(new JsonObject { ["start"] = first, ["end"] = last }),
            },
        }, cancellationToken);
        return networkId;
    }

    /// <summary>
    /// DevStack's router1 in the demo project: its gateway on public and an interface on the private subnet, so
    /// floating IPs from public reach the demo's servers (Neutron refuses a floating IP whose port has no such path).
    /// </summary>
    private static async Task EnsureRouterAsync(CloudClient admin, string publicNetwork, string privateNetwork, string projectId, CancellationToken cancellationToken)
    {
        var found = await admin.GetAsync($"networking/v2.0/routers?name=router1&project_id={projectId}", cancellationToken);
        if (found["routers"]?.AsArray().Count > 0)
        {
            return;
        }

        var router = await admin.PostAsync("networking/v2.0/routers", new JsonObject
        {
            ["router"] = new JsonObject
            {
                ["name"] = "router1",
                ["project_id"] = projectId,
                ["admin_state_up"] = true,
                ["external_gateway_info"] = new JsonObject { ["network_id"] = publicNetwork },
            },
        }, cancellationToken);
        var subnets = await admin.GetAsync($"networking/v2.0/subnets?network_id={privateNetwork}", cancellationToken);
        var subnet = subnets["subnets"]!.AsArray().First()!["id"]!.GetValue<string>();
        await admin.PutAsync($"networking/v2.0/routers/{router["router"]!["id"]!.GetValue<string>()}/add_router_interface", new JsonObject { ["subnet_id"] = subnet }, cancellationToken);
    }

    /// <summary>Listing a project's security groups creates its default group on first use (as Neutron does).</summary>
    private static Task EnsureSecurityGroupAsync(CloudClient admin, string projectId, CancellationToken cancellationToken) =>
        admin.GetAsync($"networking/v2.0/security-groups?project_id={projectId}", cancellationToken);

    /// <summary>The test image's min_ram, in MB.</summary>
    public const int MinRamMb = 128;

    private static async Task EnsureImageAsync(CloudClient admin, Func<CancellationToken, Task<string>> imageFile, CancellationToken cancellationToken)
    {
        var found = await admin.GetAsync("image/v2/images?name=cirros", cancellationToken);
        if (found["images"]?.AsArray().Any(i => i?["status"]?.GetValue<string>() == "active") == true)
        {
            return;
        }

        var file = await imageFile(cancellationToken);
        var image = await admin.PostAsync("image/v2/images", new JsonObject
        {
            ["name"] = "cirros",
            ["disk_format"] = "qcow2",
            ["container_format"] = "bare",
            ["visibility"] = "public",
            ["os_distro"] = "stratus-test-image",
            // Debian's kernel decompresses to 64 MiB above its 16 MiB load address (bzImage init_size), so the image
            // cannot boot in m1.nano's 64 MB: nova then refuses the flavor up front instead of an ACTIVE server that
            // never boots. m1.micro (128 MB) is the smallest flavor that fits.
            ["min_ram"] = MinRamMb,
        }, cancellationToken);
        await admin.PutFileAsync($"image/v2/images/{image["id"]!.GetValue<string>()}/file", file, cancellationToken);
    }

    /// <summary>The gateway (first address) and the allocation pool (the rest, without the broadcast address).</summary>
    private static (string Gateway, string First, string Last) Ranges(string cidr)
    {
        var parts = cidr.Split('/');
        var network = BitConverter.ToUInt32(IPAddress.Parse(parts[0]).GetAddressBytes().Reverse().ToArray());
        var size = 1u << (32 - int.Parse(parts[1], CultureInfo.InvariantCulture));
        static string Address(uint value) => new IPAddress(BitConverter.GetBytes(value).Reverse().ToArray()).ToString();
        return (Address(network + 1), Address(network + 2), Address(network + size - 2));
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Bootstrap done (demo project {DemoProject}, public network {PublicNetwork})")]
    private static partial void LogBootstrapped(ILogger logger, string demoProject, string publicNetwork);
}
