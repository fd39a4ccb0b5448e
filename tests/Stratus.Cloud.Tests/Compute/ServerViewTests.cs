using System.Text.Json.Nodes;
using Stratus.Cloud.Compute.Api;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Compute.Servers;
using Stratus.Cloud.Network;
using Stratus.Cloud.OpenStack.Microversions;

namespace Stratus.Cloud.Tests.Compute;

public sealed class ServerViewTests
{
    private const string ProjectId = "f81f9cb2f7dd4880b396263c54203e6f";

    private static readonly string[] BaseKeys =
    [
        "id", "name", "status", "tenant_id", "user_id", "metadata", "hostId", "image", "flavor", "created", "updated", "addresses", "accessIPv4", "accessIPv6",
        "links", "OS-DCF:diskConfig", "progress", "OS-EXT-AZ:availability_zone", "config_drive", "key_name", "OS-SRV-USG:launched_at", "OS-SRV-USG:terminated_at",
        "security_groups", "OS-EXT-STS:task_state", "OS-EXT-STS:vm_state", "OS-EXT-STS:power_state", "os-extended-volumes:volumes_attached",
    ];

    private static readonly string[] AdminKeys21 = ["OS-EXT-SRV-ATTR:host", "OS-EXT-SRV-ATTR:instance_name", "OS-EXT-SRV-ATTR:hypervisor_hostname"];

    private static readonly string[] AdminKeys23 =
    [
        "OS-EXT-SRV-ATTR:reservation_id", "OS-EXT-SRV-ATTR:launch_index", "OS-EXT-SRV-ATTR:hostname", "OS-EXT-SRV-ATTR:kernel_id", "OS-EXT-SRV-ATTR:ramdisk_id",
        "OS-EXT-SRV-ATTR:root_device_name", "OS-EXT-SRV-ATTR:user_data",
    ];

    private static readonly string[] LaterKeys = ["locked", "host_status", "description", "tags", "trusted_image_certificates", "server_groups", "locked_reason"];

    [Fact]
    public void WriteFull_At21Admin_HasExactlyTheBaseAndAdminKeys()
    {
        var server = Render(Seed(), new Microversion(2, 1), isAdmin: true, ServerViewKind.Show);

        Assert.Equal(BaseKeys.Concat(AdminKeys21).Order(StringComparer.Ordinal), server.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("42", server["flavor"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public void WriteFull_At279Admin_HasEveryLaterKeyAndTheEmbeddedFlavor()
    {
        var server = Render(Seed(), new Microversion(2, 79), isAdmin: true, ServerViewKind.Show);

        foreach (var key in AdminKeys21.Concat(AdminKeys23).Concat(LaterKeys))
        {
            Assert.True(server.ContainsKey(key), key);
        }

        Assert.Equal(["disk", "ephemeral", "extra_specs", "original_name", "ram", "swap", "vcpus"], server["flavor"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("m1.nano", server["flavor"]!["original_name"]!.GetValue<string>());
        Assert.Equal("UP", server["host_status"]!.GetValue<string>());
        Assert.Empty(server["server_groups"]!.AsArray());
    }

    [Fact]
    public void WriteFull_At279Member_HidesAdminOnlyKeys()
    {
        var server = Render(Seed(), new Microversion(2, 79), isAdmin: false, ServerViewKind.Show);

        Assert.DoesNotContain(server, p => p.Key.StartsWith("OS-EXT-SRV-ATTR:", StringComparison.Ordinal));
        Assert.False(server.ContainsKey("host_status"));
        Assert.True(server.ContainsKey("locked"));
    }

    [Theory]
    [InlineData(2, 8, false)]
    [InlineData(2, 9, true)]
    public void WriteFull_LockedAppearsAt29(int major, int minor, bool expected)
    {
        Assert.Equal(expected, Render(Seed(), new Microversion(major, minor), isAdmin: false, ServerViewKind.Show).ContainsKey("locked"));
    }

    [Fact]
    public void WriteFull_Detail_HasNoServerGroupsButPutsSecurityGroupsLast()
    {
        var server = Render(Seed(), new Microversion(2, 79), isAdmin: true, ServerViewKind.Detail);

        Assert.False(server.ContainsKey("server_groups"));
        Assert.Equal("security_groups", server.Last().Key);
    }

    [Fact]
    public void WriteFull_UpdateBelow275_IsTheReducedView()
    {
        var server = Render(Seed(), new Microversion(2, 74), isAdmin: true, ServerViewKind.Update);

        Assert.DoesNotContain(server, p => p.Key.StartsWith("OS-EXT-", StringComparison.Ordinal));
        Assert.False(server.ContainsKey("security_groups"));
        Assert.False(server.ContainsKey("config_drive"));
        var address = server["addresses"]!["private"]![0]!.AsObject();
        Assert.Equal(["addr", "version"], address.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.True(server.ContainsKey("server_groups"));
    }

    [Fact]
    public void WriteFull_UpdateAt275_IsTheFullView()
    {
        var server = Render(Seed(), new Microversion(2, 75), isAdmin: true, ServerViewKind.Update);

        Assert.True(server.ContainsKey("OS-EXT-SRV-ATTR:host"));
        Assert.True(server.ContainsKey("OS-EXT-STS:vm_state"));
    }

    [Fact]
    public void WriteFull_SeedServer_ValuesMatchTheSeed()
    {
        var server = Render(Seed(), new Microversion(2, 3), isAdmin: true, ServerViewKind.Show);

        Assert.Equal("e93c7d692b8afa2f921ee201c9646411452243d6ae2bf697f7697328", server["hostId"]!.GetValue<string>());
        Assert.Equal("instance-00000005", server["OS-EXT-SRV-ATTR:instance_name"]!.GetValue<string>());
        Assert.Equal("DevStackOSDomU", server["OS-EXT-SRV-ATTR:host"]!.GetValue<string>());
        Assert.Equal("xenti.dsl.eumel.local", server["OS-EXT-SRV-ATTR:hypervisor_hostname"]!.GetValue<string>());
        Assert.Equal("/dev/xvda", server["OS-EXT-SRV-ATTR:root_device_name"]!.GetValue<string>());
        Assert.Equal("True", server["config_drive"]!.GetValue<string>());
        Assert.Equal("AUTO", server["OS-DCF:diskConfig"]!.GetValue<string>());
        Assert.Equal("2015-12-21T20:50:12.000000", server["OS-SRV-USG:launched_at"]!.GetValue<string>());
        Assert.Equal("2015-12-21T20:49:56Z", server["created"]!.GetValue<string>());
        Assert.Equal(100, server["progress"]!.GetValue<int>());
        Assert.Equal("", server["OS-EXT-SRV-ATTR:kernel_id"]!.GetValue<string>());
        Assert.Null(server["OS-EXT-SRV-ATTR:user_data"]);
        var addresses = server["addresses"]!["private"]!.AsArray();
        Assert.Equal(["10.0.0.7", "172.24.4.1"], addresses.Select(a => a!["addr"]!.GetValue<string>()));
        Assert.Equal("fixed", addresses[0]!["OS-EXT-IPS:type"]!.GetValue<string>());
        Assert.Equal("fa:16:3e:00:00:01", addresses[0]!["OS-EXT-IPS-MAC:mac_addr"]!.GetValue<string>());
    }

    [Fact]
    public void WriteFull_Building_HidesAddressesAndShowsProgress()
    {
        var building = Seed() with { VmState = VmStates.Building, TaskState = TaskStates.Spawning, Progress = 0 };

        var server = Render(building, new Microversion(2, 1), isAdmin: false, ServerViewKind.Show);

        Assert.Empty(server["addresses"]!.AsObject());
        Assert.Equal("BUILD", server["status"]!.GetValue<string>());
        Assert.Equal(0, server["progress"]!.GetValue<int>());
    }

    [Fact]
    public void WriteFull_Error_HasFaultWithDetailsForAdminsOnlyAndNoProgress()
    {
        var failed = Seed() with { VmState = VmStates.Error, Host = null, Node = null };
        var fault = new InstanceFault(500, "No valid host was found: 3 hosts considered, none with 2048 MB of free RAM.", "compute1: RamFilter rejected it: ...", new DateTime(2024, 5, 1, 12, 0, 3, DateTimeKind.Utc), null);

        var admin = Render(failed, new Microversion(2, 1), isAdmin: true, ServerViewKind.Show, fault);
        var member = Render(failed, new Microversion(2, 1), isAdmin: false, ServerViewKind.Show, fault);

        Assert.False(admin.ContainsKey("progress"));
        Assert.Equal("compute1: RamFilter rejected it: ...", admin["fault"]!["details"]!.GetValue<string>());
        Assert.Equal(["code", "created", "message"], member["fault"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("2024-05-01T12:00:03Z", member["fault"]!["created"]!.GetValue<string>());
        Assert.Equal("", member["hostId"]!.GetValue<string>());
    }

    [Fact]
    public void WriteFull_ActiveWithFault_ShowsNoFault()
    {
        var fault = new InstanceFault(500, "old", "old details", DateTime.UtcNow, null);

        Assert.False(Render(Seed(), new Microversion(2, 1), isAdmin: true, ServerViewKind.Show, fault).ContainsKey("fault"));
    }

    [Fact]
    public void Sha224_KnownVectors_MatchHashlib()
    {
        Assert.Equal("d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f", Sha224.HexDigest(""));
        Assert.Equal("23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7", Sha224.HexDigest("abc"));
        Assert.Equal("75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525", Sha224.HexDigest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
    }

    /// <summary>The seed's eumel2 (nova show in the blog post), as Stratus would store it.</summary>
    internal static Instance Seed() => new()
    {
        Id = Guid.Parse("b4e0a940-30fa-4616-97fe-4e07b754a0f4"),
        InternalId = 5,
        Name = "eumel2",
        ProjectId = ProjectId,
        UserId = "a31e781a8e3148e1bcf9aca5e774a36b",
        ImageId = "d216391e-4e33-4dd9-8a15-3ed9e999bf4c",
        Flavor = new FlavorSnapshot("42", "m1.nano", 64, 1, 0, 0, 0, 1.0, new Dictionary<string, string>()),
        VmState = VmStates.Active,
        TaskState = null,
        PowerState = PowerStates.Running,
        Host = "DevStackOSDomU",
        Node = "xenti.dsl.eumel.local",
        AvailabilityZone = "nova",
        KeyName = "devstack",
        ConfigDrive = true,
        DiskConfig = "AUTO",
        ReservationId = "r-8mfzz3o5",
        Hostname = "eumel2",
        Progress = 100,
        CreatedAt = new DateTime(2015, 12, 21, 20, 49, 56, DateTimeKind.Utc),
        UpdatedAt = new DateTime(2015, 12, 21, 20, 50, 12, DateTimeKind.Utc),
        LaunchedAt = new DateTime(2015, 12, 21, 20, 50, 12, DateTimeKind.Utc),
    };

    private static JsonObject Render(Instance instance, Microversion version, bool isAdmin, ServerViewKind kind, InstanceFault? fault = null)
    {
        var network = new InstanceNetworkView(
            [new ServerAddress("private", "172.24.4.1", 4, "floating", "FA:16:3E:00:00:01"), new ServerAddress("private", "10.0.0.7", 4, "fixed", "FA:16:3E:00:00:01")],
            ["default"]);
        var service = new Stratus.Cloud.Compute.Services.ServiceRecord { Id = 8, Uuid = Guid.NewGuid(), Binary = "nova-compute", Host = "DevStackOSDomU", LastSeenUp = DateTime.UtcNow };
        var context = new ServerViewContext
        {
            Version = version,
            IsAdmin = isAdmin,
            SelfPrefix = "http://h/compute/v2.1/servers/",
            BookmarkPrefix = "http://h/compute/servers/",
            ImagePrefix = "http://h/compute/images/",
            FlavorPrefix = "http://h/compute/flavors/",
            Networks = new Dictionary<Guid, InstanceNetworkView> { [instance.Id] = network },
            Faults = fault is null ? new Dictionary<Guid, InstanceFault>() : new Dictionary<Guid, InstanceFault> { [instance.Id] = fault },
            ComputeServices = isAdmin ? new Dictionary<string, Stratus.Cloud.Compute.Services.ServiceRecord> { ["DevStackOSDomU"] = service } : null,
            Now = DateTime.UtcNow,
            ServiceDownTime = TimeSpan.FromSeconds(60),
        };
        var text = new NovaResult(200, w => ServerView.WriteFull(w, instance, context, kind)).Render();
        return JsonNode.Parse(text)!.AsObject();
    }
}
