using System.Net;
using System.Text.Json.Nodes;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Tests.Compute.Support;

namespace Stratus.Cloud.Tests.Compute;

public sealed class ServerCreateTests
{
    private static JsonObject Body(Action<JsonObject>? change = null)
    {
        var server = new JsonObject
        {
            ["name"] = "vm1",
            ["imageRef"] = FakeImageCatalog.CirrosId,
            ["flavorRef"] = "42",
            ["min_count"] = 1,
            ["max_count"] = 1,
            ["networks"] = new JsonArray(new JsonObject { ["uuid"] = FakeNetworkAllocator.PrivateId }),
        };
        change?.Invoke(server);
        return new JsonObject { ["server"] = server };
    }

    private static async Task<ComputeApiHost> StartAsync()
    {
        var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        await api.AddFlavorAsync();
        await api.AddComputeHostAsync();
        return api;
    }

    private static async Task<int> CountAsync(ComputeApiHost api) =>
        (await api.Instances.ListAsync(new InstanceQuery { ProjectId = null, IncludeDeleted = true }, TestContext.Current.CancellationToken)).Count;

    [Fact]
    public async Task Create_Valid_Is202WithAdminPassAndStoresABuildingServerWithItsCreateAction()
    {
        await using var api = await StartAsync();

        var response = await api.PostAsync("servers", Body(), FakeTokenValidator.DemoToken);

        Assert.Equal(HttpStatusCode.Accepted, response.Status);
        var server = response.Object["server"]!;
        Assert.Equal(12, server["adminPass"]!.GetValue<string>().Length);
        Assert.Equal("MANUAL", server["OS-DCF:diskConfig"]!.GetValue<string>());
        Assert.Equal("default", server["security_groups"]![0]!["name"]!.GetValue<string>());
        var id = Guid.Parse(server["id"]!.GetValue<string>());
        Assert.EndsWith($"/compute/v2.1/servers/{id:D}", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        var stored = await api.Instances.FindAsync(id, false, TestContext.Current.CancellationToken);
        Assert.NotNull(stored);
        Assert.Equal((VmStates.Building, TaskStates.Scheduling), (stored.VmState, stored.TaskState));
        Assert.Equal(FakeTokenValidator.DemoProject, stored.ProjectId);
        Assert.Equal("/dev/xvda", stored.RootDeviceName);
        Assert.StartsWith("r-", stored.ReservationId, StringComparison.Ordinal);
        var action = Assert.Single(await api.Instances.ListActionsAsync(id, TestContext.Current.CancellationToken));
        Assert.Equal("create", action.Action);
        Assert.Equal([("build", id)], api.Conductor.Calls.Select(c => (c.Call, c.InstanceId)));
        Assert.Equal(action.RequestId, api.Conductor.Calls.Single().RequestId);
    }

    [Fact]
    public async Task Create_MinCountThree_NamesThemWithSuffixesAndShareAReservation()
    {
        await using var api = await StartAsync();

        var response = await api.PostAsync("servers", Body(s => { s["min_count"] = 3; s["max_count"] = 3; }), FakeTokenValidator.DemoToken);
        var reservation = await api.PostAsync("servers", Body(s => s["return_reservation_id"] = true), FakeTokenValidator.DemoToken);

        Assert.Equal(HttpStatusCode.Accepted, response.Status);
        var all = await api.Instances.ListAsync(new InstanceQuery { ProjectId = FakeTokenValidator.DemoProject, SortKey = "display_name", Descending = false }, TestContext.Current.CancellationToken);
        Assert.Equal(["vm1", "vm1-1", "vm1-2", "vm1-3"], all.Select(i => i.Name));
        Assert.Single(all.Where(i => i.Name.StartsWith("vm1-", StringComparison.Ordinal)).Select(i => i.ReservationId).Distinct());
        Assert.Equal([0, 1, 2], all.Where(i => i.Name != "vm1").Select(i => i.LaunchIndex));
        Assert.StartsWith("r-", reservation.Object["reservation_id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(all.Single(i => i.Name == "vm1").ReservationId, reservation.Object["reservation_id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"server\": {\"name\": \"vm1\", ", "badRequest")]
    [InlineData("[1, 2]", "badRequest")]
    [InlineData("", "badRequest")]
    public async Task Create_MalformedBody_Is400AndCreatesNothing(string body, string fault)
    {
        await using var api = await StartAsync();

        var response = await api.PostAsync("servers", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(fault, response.Fault.Name);
        Assert.Equal(0, await CountAsync(api));
    }

    public static TheoryData<string, string, string> InvalidBodies => new()
    {
        { "no name", "{\"server\": {\"imageRef\": \"" + FakeImageCatalog.CirrosId + "\", \"flavorRef\": \"42\"}}", "'name' is a required property" },
        { "blank name", "{\"server\": {\"name\": \"\", \"imageRef\": \"" + FakeImageCatalog.CirrosId + "\", \"flavorRef\": \"42\"}}", "is too short" },
        { "numeric name", "{\"server\": {\"name\": 12, \"imageRef\": \"" + FakeImageCatalog.CirrosId + "\", \"flavorRef\": \"42\"}}", "12 is not of type 'string'" },
        { "spaces around name", "{\"server\": {\"name\": \" vm \", \"imageRef\": \"" + FakeImageCatalog.CirrosId + "\", \"flavorRef\": \"42\"}}", "Can not start or end with whitespace" },
        { "long name", "{\"server\": {\"name\": \"" + new string('x', 256) + "\", \"imageRef\": \"" + FakeImageCatalog.CirrosId + "\", \"flavorRef\": \"42\"}}", "is too long" },
        { "unknown key", "{\"server\": {\"name\": \"vm\", \"flavorRef\": \"42\", \"imageRef\": \"" + FakeImageCatalog.CirrosId + "\", \"colour\": 1}}", "Additional properties are not allowed ('colour' was unexpected)" },
        { "bad image uuid", "{\"server\": {\"name\": \"vm\", \"flavorRef\": \"42\", \"imageRef\": \"not-a-uuid\"}}", "is not valid under any of the given schemas" },
        { "no image", "{\"server\": {\"name\": \"vm\", \"flavorRef\": \"42\"}}", "Missing imageRef attribute" },
        { "bad network uuid", "{\"server\": {\"name\": \"vm\", \"flavorRef\": \"42\", \"imageRef\": \"" + FakeImageCatalog.CirrosId + "\", \"networks\": [{\"uuid\": \"private\"}]}}", "Bad networks format: network uuid is not in proper format (private)" },
        { "bad access ip", "{\"server\": {\"name\": \"vm\", \"flavorRef\": \"42\", \"imageRef\": \"" + FakeImageCatalog.CirrosId + "\", \"accessIPv4\": \"300.1.1.1\"}}", "is not a 'ipv4'" },
        { "long metadata value", "{\"server\": {\"name\": \"vm\", \"flavorRef\": \"42\", \"imageRef\": \"" + FakeImageCatalog.CirrosId + "\", \"metadata\": {\"k\": \"" + new string('v', 256) + "\"}}}", "is too long" },
        { "user data not base64", "{\"server\": {\"name\": \"vm\", \"flavorRef\": \"42\", \"imageRef\": \"" + FakeImageCatalog.CirrosId + "\", \"user_data\": \"!!!\"}}", "is not a 'base64'" },
        { "min above max", "{\"server\": {\"name\": \"vm\", \"flavorRef\": \"42\", \"imageRef\": \"" + FakeImageCatalog.CirrosId + "\", \"min_count\": 3, \"max_count\": 2}}", "min_count must be <= max_count" },
        { "min zero", "{\"server\": {\"name\": \"vm\", \"flavorRef\": \"42\", \"imageRef\": \"" + FakeImageCatalog.CirrosId + "\", \"min_count\": 0}}", "is less than the minimum of 1" },
        { "unknown flavor", "{\"server\": {\"name\": \"vm\", \"flavorRef\": \"999\", \"imageRef\": \"" + FakeImageCatalog.CirrosId + "\"}}", "Flavor '999' could not be found." },
        { "unknown image", "{\"server\": {\"name\": \"vm\", \"flavorRef\": \"42\", \"imageRef\": \"00000000-0000-0000-0000-000000000000\"}}", "Can not find requested image" },
        { "inactive image", "{\"server\": {\"name\": \"vm\", \"flavorRef\": \"42\", \"imageRef\": \"" + FakeImageCatalog.QueuedId + "\"}}", "Image " + FakeImageCatalog.QueuedId + " is not active." },
        { "unknown key pair", "{\"server\": {\"name\": \"vm\", \"flavorRef\": \"42\", \"imageRef\": \"" + FakeImageCatalog.CirrosId + "\", \"key_name\": \"nope\"}}", "Invalid key_name provided." },
        { "unknown network", "{\"server\": {\"name\": \"vm\", \"flavorRef\": \"42\", \"imageRef\": \"" + FakeImageCatalog.CirrosId + "\", \"networks\": [{\"uuid\": \"00000000-0000-0000-0000-00000000beef\"}]}}", "Network 00000000-0000-0000-0000-00000000beef could not be found." },
        { "unknown zone", "{\"server\": {\"name\": \"vm\", \"flavorRef\": \"42\", \"imageRef\": \"" + FakeImageCatalog.CirrosId + "\", \"availability_zone\": \"mars\"}}", "The requested availability zone is not available" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Create_InvalidInput_Is400WithNovasMessageAndCreatesNothing(string why, string body, string message)
    {
        await using var api = await StartAsync();

        var response = await api.PostAsync("servers", body, FakeTokenValidator.DemoToken);

        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{why}: {response}");
        Assert.Equal("badRequest", response.Fault.Name);
        Assert.Contains(message, response.Fault.Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(api));
        Assert.Empty(api.Conductor.Calls);
    }

    [Fact]
    public async Task Create_At237WithoutNetworks_Is400_AndAutoIsAccepted()
    {
        await using var api = await StartAsync();

        var missing = await api.PostAsync("servers", Body(s => s.Remove("networks")), FakeTokenValidator.DemoToken, "2.37");
        var auto = await api.PostAsync("servers", Body(s => s["networks"] = "auto"), FakeTokenValidator.DemoToken, "2.37");
        var legacy = await api.PostAsync("servers", Body(s => s.Remove("networks")), FakeTokenValidator.DemoToken, "2.36");

        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Contains("'networks' is a required property", missing.Fault.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, auto.Status);
        Assert.Equal(HttpStatusCode.Accepted, legacy.Status);
    }

    [Fact]
    public async Task Create_AmbiguousNetworks_Is409()
    {
        await using var api = await StartAsync();
        api.Network.Networks["6b0f0e2c-0000-4000-8000-000000000002"] = "second";

        var response = await api.PostAsync("servers", Body(s => s.Remove("networks")), FakeTokenValidator.DemoToken);

        Assert.Equal(HttpStatusCode.Conflict, response.Status);
        Assert.Equal("conflictingRequest", response.Fault.Name);
        Assert.Equal(0, await CountAsync(api));
    }

    [Fact]
    public async Task Create_OverInstanceQuota_Is403AndCreatesNothing()
    {
        await using var api = await StartAsync();
        var update = await api.PutAsync($"os-quota-sets/{FakeTokenValidator.DemoProject}", new JsonObject { ["quota_set"] = new JsonObject { ["instances"] = 1 } });
        Assert.Equal(HttpStatusCode.OK, update.Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync("servers", Body(), FakeTokenValidator.DemoToken)).Status);

        var response = await api.PostAsync("servers", Body(), FakeTokenValidator.DemoToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("Quota exceeded for instances: Requested 1, but already used 1 of 1 instances", response.Fault.Message);
        Assert.Equal(1, await CountAsync(api));
    }

    [Fact]
    public async Task Create_OverRamQuota_NamesRam()
    {
        await using var api = await StartAsync();
        await api.AddFlavorAsync("big", "m1.big", ramMb: 60000, vcpus: 1, diskGb: 1);

        var response = await api.PostAsync("servers", Body(s => s["flavorRef"] = "big"), FakeTokenValidator.DemoToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("Quota exceeded for ram: Requested 60000, but already used 0 of 51200 ram", response.Fault.Message);
    }

    [Fact]
    public async Task Create_TooManyMetadataItems_Is403()
    {
        await using var api = await StartAsync();
        var metadata = new JsonObject();
        for (var i = 0; i < 129; i++)
        {
            metadata[$"k{i}"] = "v";
        }

        var response = await api.PostAsync("servers", Body(s => s["metadata"] = metadata), FakeTokenValidator.DemoToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("Maximum number of metadata items exceeds 128", response.Fault.Message);
    }

    [Fact]
    public async Task Create_Reader_Is403()
    {
        await using var api = await StartAsync();

        var response = await api.PostAsync("servers", Body(), FakeTokenValidator.ReaderToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("Policy doesn't allow os_compute_api:servers:create to be performed.", response.Fault.Message);
    }

    [Fact]
    public async Task Create_ConductorRefuses_ServerEndsInErrorWithAFault()
    {
        await using var api = await StartAsync();
        api.Conductor.FailBuilds = true;

        var response = await api.PostAsync("servers", Body(), FakeTokenValidator.DemoToken);

        Assert.Equal(HttpStatusCode.Accepted, response.Status);
        var id = response.Object["server"]!["id"]!.GetValue<string>();
        var shown = await api.GetAsync($"servers/{id}", FakeTokenValidator.DemoToken);
        Assert.Equal("ERROR", shown.Object["server"]!["status"]!.GetValue<string>());
        Assert.Equal(500, shown.Object["server"]!["fault"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Create_WithKeypairUserDataConfigDriveAndMetadata_StoresThem()
    {
        await using var api = await StartAsync();
        var keypair = await api.PostAsync("os-keypairs", new JsonObject { ["keypair"] = new JsonObject { ["name"] = "devstack" } }, FakeTokenValidator.DemoToken);
        Assert.Equal(HttpStatusCode.OK, keypair.Status);

        var response = await api.PostAsync("servers", Body(s =>
        {
            s["key_name"] = "devstack";
            s["user_data"] = Convert.ToBase64String("#!/bin/sh\necho hi\n"u8.ToArray());
            s["config_drive"] = true;
            s["metadata"] = new JsonObject { ["role"] = "web" };
            s["OS-DCF:diskConfig"] = "AUTO";
            s["security_groups"] = new JsonArray(new JsonObject { ["name"] = "web" }, new JsonObject { ["name"] = "web" });
        }), FakeTokenValidator.DemoToken);

        Assert.Equal(HttpStatusCode.Accepted, response.Status);
        var id = Guid.Parse(response.Object["server"]!["id"]!.GetValue<string>());
        var stored = (await api.Instances.FindAsync(id, false, TestContext.Current.CancellationToken))!;
        Assert.Equal("devstack", stored.KeyName);
        Assert.StartsWith("ssh-rsa ", stored.KeyData, StringComparison.Ordinal);
        Assert.True(stored.ConfigDrive);
        Assert.Equal("web", stored.Metadata["role"]);
        Assert.Equal(["web"], stored.SecurityGroups);
        Assert.Equal("AUTO", stored.DiskConfig);
        Assert.Equal(2, response.Object["server"]!["security_groups"]!.AsArray().Count);
    }
}
