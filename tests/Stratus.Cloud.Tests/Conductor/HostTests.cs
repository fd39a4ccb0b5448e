using Stratus.Cloud.Conductor.Hosts;
using Stratus.Cloud.Tests.Fakes;
using Stratus.Testing;

namespace Stratus.Cloud.Tests.Conductor;

public sealed class HostTests
{
    private readonly FakeConnector _connector = new();
    private readonly FakeImageCatalog _images = new();
    private readonly FakeNetworkAllocator _network = new();

    [Fact]
    public async Task Heartbeat_ConfiguredHost_ComputeServiceWithFacts()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var host = _connector.Add(new FakeXenHost("compute1", cpus: 8, memoryBytes: 32L << 30, srBytes: 500L << 30));
        await using var cloud = await ConductorHarness.StartAsync(data.Path, _connector, _images, _network, [host], ct);
        await cloud.WaitForHostsAsync(1, ct);
        while ((await cloud.Services.FindAsync(HostRegistry.ComputeBinary, "compute1", ct))?.Hypervisor is null)
        {
            await Task.Delay(20, ct);
        }

        var service = (await cloud.Services.FindAsync(HostRegistry.ComputeBinary, "compute1", ct))!;
        Assert.Equal(("nova", host.Url.ToString()), (service.Zone, service.Connection!.Url));
        Assert.True(DateTime.UtcNow - service.LastSeenUp < TimeSpan.FromSeconds(30));
        var facts = service.Hypervisor!;
        Assert.Equal(("compute1.example", "XenServer", 8004000L, "192.0.2.1"), (facts.HypervisorHostname, facts.HypervisorType, facts.HypervisorVersion, facts.HostIp));
        Assert.Equal((8, 32768L, 500L), (facts.Vcpus, facts.MemoryMb, facts.LocalGb));
        Assert.Equal("ext", Assert.Single(facts.StorageRepositories).Type);
        Assert.Contains("\"vendor\":\"GenuineIntel\"", facts.CpuInfoJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_Controller_RegistersItsOwnServicesInTheInternalZone()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var cloud = await ConductorHarness.StartAsync(data.Path, _connector, _images, _network, [], ct);

        while ((await cloud.Services.ListAsync(ct)).Count(s => s.LastSeenUp is not null) < ControllerServices.Binaries.Count)
        {
            await Task.Delay(20, ct);
        }

        var services = await cloud.Services.ListAsync(ct);
        Assert.Equal(ControllerServices.Binaries.Order(), services.Select(s => s.Binary).Order());
        Assert.All(services, s => Assert.Equal("internal", s.Zone));
    }

    [Fact]
    public async Task HostStopsAnswering_GoesDownAndGetsNoNewServers_ThenComesBack()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        _images.Add("img", new byte[4096]);
        var big = _connector.Add(new FakeXenHost("big", memoryBytes: 128L << 30));
        var small = _connector.Add(new FakeXenHost("small", memoryBytes: 16L << 30));
        await using var cloud = await ConductorHarness.StartAsync(data.Path, _connector, _images, _network, [big, small], ct);
        await cloud.WaitForHostsAsync(2, ct);

        big.Unreachable = true;
        while (cloud.Placement.States().Single(s => s.Host == "big").Up)
        {
            await Task.Delay(50, ct);
        }

        var booted = await cloud.BootAsync("img", ct);
        await cloud.IdleAsync();

        Assert.Equal("small", (await cloud.ReloadAsync(booted.Id, ct)).Host);
        Assert.Contains("Connection refused", (await cloud.Services.FindAsync(HostRegistry.ComputeBinary, "big", ct))!.LastError, StringComparison.Ordinal);

        big.Unreachable = false;
        while (!cloud.Placement.States().Single(s => s.Host == "big").Up)
        {
            await Task.Delay(50, ct);
        }

        var next = await cloud.BootAsync("img", ct);
        await cloud.IdleAsync();
        Assert.Equal("big", (await cloud.ReloadAsync(next.Id, ct)).Host);
        while ((await cloud.Services.FindAsync(HostRegistry.ComputeBinary, "big", ct))!.LastError is not null)
        {
            await Task.Delay(20, ct);
        }
    }

    [Fact]
    public async Task HostDown_NoValidHost_ExplainsTheHeartbeatAge()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        _images.Add("img", new byte[4096]);
        var host = _connector.Add(new FakeXenHost("lonely"));
        await using var cloud = await ConductorHarness.StartAsync(data.Path, _connector, _images, _network, [host], ct);
        await cloud.WaitForHostsAsync(1, ct);
        host.Unreachable = true;
        while (cloud.Placement.States().Single().Up)
        {
            await Task.Delay(50, ct);
        }

        var booted = await cloud.BootAsync("img", ct);
        await cloud.IdleAsync();

        var fault = (await cloud.Instances.LatestFaultsAsync([booted.Id], ct))[booted.Id];
        Assert.Equal("No valid host was found: 1 host considered, all down.", fault.Message);
        Assert.Matches(@"lonely: ComputeFilter rejected it: service down: last heartbeat \d+ s ago", fault.Details);
    }

    [Fact]
    public async Task AddHost_WrongPassword_Refused()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var host = _connector.Add(new FakeXenHost("compute1"));
        await using var cloud = await ConductorHarness.StartAsync(data.Path, _connector, _images, _network, [], ct);

        var failure = await Assert.ThrowsAsync<Stratus.XenApi.XenApiFailure>(() =>
            cloud.Registry.AddAsync(new Stratus.Cloud.Compute.Services.HostConnection(host.Url.ToString(), "root", "wrong"), ct));

        Assert.Equal("SESSION_AUTHENTICATION_FAILED", failure.Code);
        Assert.Empty(cloud.Registry.Links);
    }
}
