using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Stratus.Cli.Up;
using Stratus.Testing;

namespace Stratus.Cli.Tests.Up;

/// <summary>The first-run bootstrap against a real controller process: it creates DevStack's setup, and a second run creates nothing.</summary>
[Trait("Category", "Slow")]
public sealed class BootstrapperTests
{
    [Fact]
    public async Task RunAsync_Twice_SecondRunDuplicatesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory("stratus-bootstrap");
        await using var cloud = await CloudProcess.StartAsync(directory.Path, [], ct);
        var settings = new UpSettings { DataDirectory = directory.Path, Listen = cloud.Url.Authority };
        var image = directory.Combine("disk.qcow2");
        await File.WriteAllBytesAsync(image, Qcow2Header(64 << 20), ct);
        var builds = 0;
        Task<string> BuildImage(CancellationToken _)
        {
            builds++;
            return Task.FromResult(image);
        }

        var bootstrapper = new Bootstrapper(settings, CloudProcess.AdminPassword, NullLogger<Bootstrapper>.Instance);
        await bootstrapper.RunAsync(BuildImage, ct);
        var first = await InventoryAsync(settings, ct);
        await bootstrapper.RunAsync(BuildImage, ct);
        var second = await InventoryAsync(settings, ct);

        Assert.Equal(1, builds);
        Assert.Equal(first, second);
        Assert.Contains(first, l => l.StartsWith("flavor m1.nano 42 64", StringComparison.Ordinal));
        Assert.Contains(first, l => l.StartsWith("network public external", StringComparison.Ordinal));
        Assert.Contains(first, l => l.StartsWith("subnet private-subnet 10.0.0.0/24", StringComparison.Ordinal));
        Assert.Contains(first, l => l.StartsWith("subnet public-subnet 172.24.4.0/24", StringComparison.Ordinal));
        Assert.Contains(first, l => l.StartsWith("image cirros active", StringComparison.Ordinal));
        Assert.Contains(first, l => l.StartsWith("user demo", StringComparison.Ordinal));
        using var demo = await CloudClient.LoginAsync(settings.BaseUrl, "demo", CloudProcess.AdminPassword, "demo", ct);
        Assert.NotEmpty(demo.Token);
    }

    /// <summary>Everything the bootstrap makes, one line each, sorted: equal lists mean nothing was added or changed.</summary>
    private static async Task<List<string>> InventoryAsync(UpSettings settings, CancellationToken ct)
    {
        using var admin = await CloudClient.LoginAsync(settings.BaseUrl, "admin", CloudProcess.AdminPassword, "admin", ct);
        var lines = new List<string>();
        static IEnumerable<JsonObject> Items(JsonObject body, string key) => body[key]!.AsArray().OfType<JsonObject>();
        static string S(JsonNode? node) => node?.ToString() ?? "";
        lines.AddRange(Items(await admin.GetAsync("identity/v3/projects", ct), "projects").Select(p => $"project {S(p["name"])} {S(p["id"])}"));
        lines.AddRange(Items(await admin.GetAsync("identity/v3/users", ct), "users").Select(u => $"user {S(u["name"])} {S(u["id"])}"));
        lines.AddRange(Items(await admin.GetAsync("identity/v3/role_assignments", ct), "role_assignments").Select(a => $"assignment {a.ToJsonString()}"));
        lines.AddRange(Items(await admin.GetAsync("compute/v2.1/flavors/detail?is_public=None", ct), "flavors").Select(f => $"flavor {S(f["name"])} {S(f["id"])} {S(f["ram"])}"));
        lines.AddRange(Items(await admin.GetAsync("networking/v2.0/networks", ct), "networks")
            .Select(n => $"network {S(n["name"])}{(n["router:external"]?.GetValue<bool>() == true ? " external" : "")} {S(n["id"])}"));
        lines.AddRange(Items(await admin.GetAsync("networking/v2.0/subnets", ct), "subnets").Select(s => $"subnet {S(s["name"])} {S(s["cidr"])} {S(s["id"])}"));
        lines.AddRange(Items(await admin.GetAsync("networking/v2.0/security-groups", ct), "security_groups").Select(g => $"security group {S(g["name"])} {S(g["id"])}"));
        lines.AddRange(Items(await admin.GetAsync("image/v2/images", ct), "images").Select(i => $"image {S(i["name"])} {S(i["status"])} {S(i["id"])}"));
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>A qcow2 header (QEMU docs/interop/qcow2.txt): what Glance's upload inspects.</summary>
    private static byte[] Qcow2Header(long virtualSize)
    {
        var bytes = new byte[512];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 0x514649FB);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), 3);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(24), (ulong)virtualSize);
        return bytes;
    }
}
