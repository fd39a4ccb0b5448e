using System.Net;
using System.Text.Json.Nodes;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Tests.Compute.Support;

namespace Stratus.Cloud.Tests.Compute;

public sealed class ServiceAndHypervisorTests
{
    [Fact]
    public async Task Services_IntIdsBelow253_UuidsFrom253_StateFromHeartbeat()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var up = await api.AddComputeHostAsync("compute1");
        await api.AddComputeHostAsync("compute2", lastSeen: DateTime.UtcNow.AddMinutes(-5));
        await api.ComputeServices.EnsureAsync("nova-osapi_compute", "0.0.0.0", "internal", null, TestContext.Current.CancellationToken);

        var v21 = await api.GetAsync("os-services");
        var v253 = await api.GetAsync("os-services?binary=nova-compute", version: "2.53");
        var demo = await api.GetAsync("os-services", FakeTokenValidator.DemoToken);

        var services = v21.Object["services"]!.AsArray();
        Assert.Equal(3, services.Count);
        var first = services[0]!.AsObject();
        Assert.Equal(["binary", "disabled_reason", "host", "id", "state", "status", "updated_at", "zone"], first.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(up.Id, first["id"]!.GetValue<long>());
        Assert.Equal("up", first["state"]!.GetValue<string>());
        Assert.Equal("down", services[1]!["state"]!.GetValue<string>());
        Assert.Equal("down", services[2]!["state"]!.GetValue<string>());
        Assert.Null(services[2]!["updated_at"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$", first["updated_at"]!.GetValue<string>());
        var compute = v253.Object["services"]!.AsArray();
        Assert.Equal(2, compute.Count);
        Assert.Equal(up.Uuid.ToString("D"), compute[0]!["id"]!.GetValue<string>());
        Assert.False(compute[0]!["forced_down"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Forbidden, demo.Status);
    }

    [Fact]
    public async Task Services_DisableAndForceDown_BothApiGenerations()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var service = await api.AddComputeHostAsync("compute1");

        var disable = await api.PutAsync("os-services/disable-log-reason", new JsonObject { ["host"] = "compute1", ["binary"] = "nova-compute", ["disabled_reason"] = "maintenance" });
        var forced = await api.PutAsync("os-services/force-down", new JsonObject { ["host"] = "compute1", ["binary"] = "nova-compute", ["forced_down"] = true }, version: "2.11");
        var forcedAt21 = await api.PutAsync("os-services/force-down", new JsonObject { ["host"] = "compute1", ["binary"] = "nova-compute", ["forced_down"] = true });
        var scheduler = await api.PutAsync("os-services/disable", new JsonObject { ["host"] = "compute1", ["binary"] = "nova-scheduler" });
        var unknownHost = await api.PutAsync("os-services/disable", new JsonObject { ["host"] = "nope", ["binary"] = "nova-compute" });
        var enable = await api.PutAsync($"os-services/{service.Uuid}", new JsonObject { ["status"] = "enabled", ["forced_down"] = false }, version: "2.53");
        var empty = await api.PutAsync($"os-services/{service.Uuid}", new JsonObject(), version: "2.53");
        var badUuid = await api.PutAsync("os-services/1", new JsonObject { ["status"] = "enabled" }, version: "2.53");

        Assert.Equal("maintenance", disable.Object["service"]!["disabled_reason"]!.GetValue<string>());
        Assert.True(forced.Object["service"]!["forced_down"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NotFound, forcedAt21.Status);
        Assert.Equal(HttpStatusCode.BadRequest, scheduler.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknownHost.Status);
        Assert.Equal("enabled", enable.Object["service"]!["status"]!.GetValue<string>());
        Assert.Equal("up", enable.Object["service"]!["state"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.Equal(HttpStatusCode.BadRequest, badUuid.Status);
    }

    [Fact]
    public async Task Hypervisors_NumbersCountReservedMemoryAndPlacedFlavors()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var service = await api.AddComputeHostAsync("compute1", "xenti.dsl.eumel.local", vcpus: 8, memoryMb: 16384, localGb: 100);
        await api.AddServerAsync(name: "a", ramMb: 128, vcpus: 1);
        await api.AddServerAsync(name: "b", ramMb: 2048, vcpus: 2);
        await api.AddServerAsync(name: "elsewhere", host: "compute9", ramMb: 4096);

        var show = (await api.GetAsync($"os-hypervisors/{service.Id}")).Object["hypervisor"]!;
        var detail = (await api.GetAsync("os-hypervisors/detail", version: "2.28")).Object["hypervisors"]![0]!;
        var stats = (await api.GetAsync("os-hypervisors/statistics")).Object["hypervisor_statistics"]!;

        Assert.Equal(512 + 128 + 2048, show["memory_mb_used"]!.GetValue<long>());
        Assert.Equal(16384 - (512 + 128 + 2048), show["free_ram_mb"]!.GetValue<long>());
        Assert.Equal(3, show["vcpus_used"]!.GetValue<int>());
        Assert.Equal(2, show["local_gb_used"]!.GetValue<long>());
        Assert.Equal(2, show["running_vms"]!.GetValue<int>());
        Assert.Equal("compute1", show["service"]!["host"]!.GetValue<string>());
        Assert.Equal("xenti.dsl.eumel.local", show["hypervisor_hostname"]!.GetValue<string>());
        Assert.StartsWith("{\"arch\"", show["cpu_info"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Nehalem", detail["cpu_info"]!["model"]!.GetValue<string>());
        Assert.Equal(1, stats["count"]!.GetValue<int>());
        Assert.Equal(512 + 128 + 2048, stats["memory_mb_used"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("2.79")]
    public async Task Hypervisors_ShowByName_Is404SoNovaclientSearches(string? version)
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        await api.AddComputeHostAsync("compute1", "compute1");

        var byName = await api.GetAsync("os-hypervisors/compute1", version: version);
        var list = await api.GetAsync("os-hypervisors", version: version);

        Assert.Equal(HttpStatusCode.NotFound, byName.Status);
        Assert.Equal("Hypervisor with ID 'compute1' could not be found.", byName.Fault.Message);
        var entry = list.Object["hypervisors"]![0]!.AsObject();
        Assert.Equal(["hypervisor_hostname", "id", "state", "status"], entry.Select(p => p.Key).Order(StringComparer.Ordinal));
        var show = await api.GetAsync($"os-hypervisors/{entry["id"]!.ToJsonString().Trim('"')}", version: version);
        Assert.Equal(HttpStatusCode.OK, show.Status);
    }

    [Fact]
    public async Task Hypervisors_SearchAndServersBelow253_QueryParametersFrom253()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        await api.AddComputeHostAsync("compute1", "node-one");
        var server = await api.AddServerAsync(name: "vm1");

        var search = await api.GetAsync("os-hypervisors/one/search");
        var servers = await api.GetAsync("os-hypervisors/one/servers");
        var gone = await api.GetAsync("os-hypervisors/one/servers", version: "2.53");
        var withServers = await api.GetAsync("os-hypervisors?hypervisor_hostname_pattern=one&with_servers=true", version: "2.53");
        var noMatch = await api.GetAsync("os-hypervisors/two/search");

        Assert.Equal("node-one", search.Object["hypervisors"]![0]!["hypervisor_hostname"]!.GetValue<string>());
        Assert.Equal(server.Id.ToString("D"), servers.Object["hypervisors"]![0]!["servers"]![0]!["uuid"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        Assert.Equal("vm1", withServers.Object["hypervisors"]![0]!["servers"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, noMatch.Status);
    }

    [Fact]
    public async Task Limits_KeysByMicroversionAndUsedCounts()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        await api.AddServerAsync(FakeTokenValidator.DemoProject, "vm", ramMb: 512, vcpus: 2, userId: "demo-user");

        var v21 = (await api.GetAsync("limits", FakeTokenValidator.DemoToken)).Object["limits"]!;
        var v236 = (await api.GetAsync("limits", FakeTokenValidator.DemoToken, "2.36")).Object["limits"]!["absolute"]!.AsObject();
        var v257 = (await api.GetAsync("limits", FakeTokenValidator.DemoToken, "2.57")).Object["limits"]!["absolute"]!.AsObject();

        var absolute = v21["absolute"]!.AsObject();
        Assert.Empty(v21["rate"]!.AsArray());
        Assert.Equal(10, absolute["maxTotalInstances"]!.GetValue<long>());
        Assert.Equal(1, absolute["totalInstancesUsed"]!.GetValue<long>());
        Assert.Equal(2, absolute["totalCoresUsed"]!.GetValue<long>());
        Assert.Equal(512, absolute["totalRAMUsed"]!.GetValue<long>());
        Assert.True(absolute.ContainsKey("maxSecurityGroups"));
        Assert.True(absolute.ContainsKey("maxPersonality"));
        Assert.False(v236.ContainsKey("maxSecurityGroups"));
        Assert.False(v236.ContainsKey("totalFloatingIpsUsed"));
        Assert.True(v236.ContainsKey("maxPersonality"));
        Assert.False(v257.ContainsKey("maxPersonality"));
        Assert.All(absolute, p => Assert.Equal(System.Text.Json.JsonValueKind.Number, p.Value!.GetValueKind()));
    }

    [Fact]
    public async Task Quotas_ShowDefaultsUpdateAndPolicy()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        await api.AddServerAsync(FakeTokenValidator.DemoProject, "vm", userId: "demo-user");
        var path = $"os-quota-sets/{FakeTokenValidator.DemoProject}";

        var show = await api.GetAsync(path, FakeTokenValidator.DemoToken);
        var other = await api.GetAsync($"os-quota-sets/{FakeTokenValidator.AdminProject}", FakeTokenValidator.DemoToken);
        var updateByDemo = await api.PutAsync(path, new JsonObject { ["quota_set"] = new JsonObject { ["cores"] = 50 } }, FakeTokenValidator.DemoToken);
        var belowUsage = await api.PutAsync(path, new JsonObject { ["quota_set"] = new JsonObject { ["instances"] = 0 } });
        var update = await api.PutAsync(path, new JsonObject { ["quota_set"] = new JsonObject { ["cores"] = "50", ["ram"] = -1 } });
        var detail = await api.GetAsync($"{path}/detail");
        var defaults = await api.GetAsync($"{path}/defaults", version: "2.57");

        Assert.Equal(FakeTokenValidator.DemoProject, show.Object["quota_set"]!["id"]!.GetValue<string>());
        Assert.Equal(20, show.Object["quota_set"]!["cores"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.Forbidden, other.Status);
        Assert.Equal(HttpStatusCode.Forbidden, updateByDemo.Status);
        Assert.Equal(HttpStatusCode.BadRequest, belowUsage.Status);
        Assert.Equal(50, update.Object["quota_set"]!["cores"]!.GetValue<long>());
        Assert.Equal(-1, update.Object["quota_set"]!["ram"]!.GetValue<long>());
        Assert.False(update.Object["quota_set"]!.AsObject().ContainsKey("id"));
        Assert.Equal(1, detail.Object["quota_set"]!["instances"]!["in_use"]!.GetValue<long>());
        Assert.False(defaults.Object["quota_set"]!.AsObject().ContainsKey("injected_files"));
        Assert.False(defaults.Object["quota_set"]!.AsObject().ContainsKey("floating_ips"));
    }

    [Fact]
    public async Task ShowServer_At216Admin_HostStatusFollowsTheService()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var service = await api.AddComputeHostAsync("compute1");
        var server = await api.AddServerAsync();

        var up = (await api.GetAsync($"servers/{server.Id}", version: "2.16")).Object["server"]!;
        await api.ComputeServices.UpdateAsync(service.Id, s => s with { Disabled = true }, TestContext.Current.CancellationToken);
        var maintenance = (await api.GetAsync("servers/detail", version: "2.16")).Object["servers"]![0]!;
        await api.ComputeServices.UpdateAsync(service.Id, s => s with { ForcedDown = true }, TestContext.Current.CancellationToken);
        var down = (await api.GetAsync($"servers/{server.Id}", version: "2.16")).Object["server"]!;

        Assert.Equal("UP", up["host_status"]!.GetValue<string>());
        Assert.Equal("MAINTENANCE", maintenance["host_status"]!.GetValue<string>());
        Assert.Equal("DOWN", down["host_status"]!.GetValue<string>());
        Assert.Equal(VmStates.Active, down["OS-EXT-STS:vm_state"]!.GetValue<string>());
    }
}
