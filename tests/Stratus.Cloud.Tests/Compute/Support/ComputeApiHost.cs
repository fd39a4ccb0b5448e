using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stratus.Cloud.Compute.Flavors;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Compute.Services;
using Stratus.Cloud.Conductor;
using Stratus.Cloud.Identity;
using Stratus.Cloud.Image;
using Stratus.Cloud.Network;
using Stratus.Testing;

namespace Stratus.Cloud.Tests.Compute.Support;

/// <summary>
/// The real controller app (CloudHost with its database, OpenStack plumbing and compute API) on a loopback port, with
/// hand-written fakes for the other areas' interfaces: identity's token check, images, networks and the conductor.
/// </summary>
internal sealed class ComputeApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _directory;

    private ComputeApiHost(WebApplication app, TempDirectory directory, HttpClient client, Fakes fakes)
    {
        _app = app;
        Network = fakes.Network;
        Images = fakes.Images;
        Conductor = fakes.Conductor;
        _directory = directory;
        Client = client;
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public FakeNetworkAllocator Network { get; }

    public FakeImageCatalog Images { get; }

    public FakeConductor Conductor { get; }

    public IInstanceStore Instances => Services.GetRequiredService<IInstanceStore>();

    public IServiceStore ComputeServices => Services.GetRequiredService<IServiceStore>();

    public IFlavorStore Flavors => Services.GetRequiredService<IFlavorStore>();

    public CloudOptions Options => Services.GetRequiredService<CloudOptions>();

    public static async Task<ComputeApiHost> StartAsync(CancellationToken cancellationToken)
    {
        var directory = new TempDirectory("stratus-compute");
        var options = new CloudOptions { Listen = "127.0.0.1:0", DataDirectory = directory.Path, AdminPassword = "admin-secret" };
        // Made before the app: the conductor's background services resolve them while the app starts.
        var fakes = new Fakes();
        var app = CloudHost.Build(options, logging => logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning), services => services
            .AddSingleton<ITokenValidator, FakeTokenValidator>()
            .AddSingleton<IIdentityDirectory, FakeIdentityDirectory>()
            .AddSingleton<IImageCatalog>(fakes.Images)
            .AddSingleton<INetworkAllocator>(fakes.Network)
            .AddSingleton<IConductor>(fakes.Conductor)
            .RemoveConductorBackground());
        await CloudHost.StartAsync(app, cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var host = new ComputeApiHost(app, directory, new HttpClient { BaseAddress = new Uri(address) }, fakes);
        // The advertised URL must be the real one, so links in bodies can be followed.
        options.PublicUrl = address;
        return host;
    }

    public Task<ApiResponse> GetAsync(string path, string? token = FakeTokenValidator.AdminToken, string? version = null) =>
        SendAsync(HttpMethod.Get, path, null, token, version);

    public Task<ApiResponse> PostAsync(string path, object? body, string? token = FakeTokenValidator.AdminToken, string? version = null) =>
        SendAsync(HttpMethod.Post, path, body, token, version);

    public Task<ApiResponse> PutAsync(string path, object? body, string? token = FakeTokenValidator.AdminToken, string? version = null) =>
        SendAsync(HttpMethod.Put, path, body, token, version);

    public Task<ApiResponse> DeleteAsync(string path, string? token = FakeTokenValidator.AdminToken, string? version = null) =>
        SendAsync(HttpMethod.Delete, path, null, token, version);

    /// <summary>A compute request: <paramref name="path"/> is relative to /compute/v2.1; a string body is sent as is.</summary>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, object? body, string? token, string? version)
    {
        using var request = new HttpRequestMessage(method, path.StartsWith('/') ? path : "/compute/v2.1/" + path);
        if (token is not null)
        {
            request.Headers.Add("X-Auth-Token", token);
        }

        if (version is not null)
        {
            request.Headers.Add("X-OpenStack-Nova-API-Version", version);
        }

        if (body is not null)
        {
            var text = body as string ?? (body as JsonNode ?? JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(body)))!.ToJsonString();
            request.Content = new StringContent(text, Encoding.UTF8, "application/json");
        }

        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        var content = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        JsonNode? json = null;
        if (content.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            json = JsonNode.Parse(content);
        }

        return new ApiResponse(response.StatusCode, json, response.Headers, content);
    }

    public Task<Flavor> AddFlavorAsync(string id = "42", string name = "m1.nano", int ramMb = 128, int vcpus = 1, int diskGb = 1, bool isPublic = true) =>
        Flavors.CreateAsync(new Flavor { Id = id, Name = name, MemoryMb = ramMb, Vcpus = vcpus, RootGb = diskGb, IsPublic = isPublic }, TestContext.Current.CancellationToken);

    /// <summary>Registers a nova-compute service with host facts and a fresh heartbeat (what the conductor does).</summary>
    public async Task<ServiceRecord> AddComputeHostAsync(string host = "compute1", string node = "xenti.dsl.eumel.local", int vcpus = 8, long memoryMb = 16384, long localGb = 100, DateTime? lastSeen = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var service = await ComputeServices.EnsureAsync("nova-compute", host, "nova", new HostConnection("http://127.0.0.1:1", "root", "x"), ct);
        var facts = new HypervisorFacts(node, "XenServer", 8002000, "192.0.2.10", Guid.NewGuid().ToString("D"), vcpus, memoryMb, memoryMb - 1024, localGb, localGb - 10,
            "{\"arch\": \"x86_64\", \"model\": \"Nehalem\", \"vendor\": \"Intel\", \"topology\": {\"sockets\": 1, \"cores\": 8, \"threads\": 1}, \"features\": []}",
            [], null, DateTime.UtcNow.AddDays(-1).AddHours(-2));
        return (await ComputeServices.UpdateAsync(service.Id, s => s with { Hypervisor = facts, LastSeenUp = lastSeen ?? DateTime.UtcNow }, ct))!;
    }

    /// <summary>Stores a server directly, as if the conductor had already moved it to <paramref name="vmState"/>.</summary>
    public async Task<Instance> AddServerAsync(
        string projectId = FakeTokenValidator.AdminProject, string name = "vm", string vmState = VmStates.Active, string? host = "compute1", string userId = "admin-user",
        int ramMb = 128, int vcpus = 1, DateTime? createdAt = null, Func<Instance, Instance>? adjust = null)
    {
        var now = DateTime.UtcNow;
        var instance = new Instance
        {
            Id = Guid.NewGuid(),
            Name = name,
            ProjectId = projectId,
            UserId = userId,
            ImageId = FakeImageCatalog.CirrosId,
            Flavor = new FlavorSnapshot("42", "m1.nano", ramMb, vcpus, 1, 0, 0, 1.0, new Dictionary<string, string>()),
            VmState = vmState,
            TaskState = vmState == VmStates.Building ? TaskStates.Scheduling : null,
            PowerState = vmState == VmStates.Active ? PowerStates.Running : vmState == VmStates.Stopped ? PowerStates.Shutdown : PowerStates.NoState,
            Host = host,
            Node = host is null ? null : "xenti.dsl.eumel.local",
            AvailabilityZone = host is null ? "" : "nova",
            ReservationId = "r-8mfzz3o5",
            Hostname = name,
            CreatedAt = createdAt ?? now,
            LaunchedAt = vmState == VmStates.Active ? now : null,
        };
        instance = adjust?.Invoke(instance) ?? instance;
        return await Instances.CreateAsync(instance, new InstanceAction(instance.Id, "create", "req-" + Guid.NewGuid().ToString("D"), userId, projectId, now, null, null, []),
            TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _directory.Dispose();
    }

    private sealed class Fakes
    {
        public FakeNetworkAllocator Network { get; } = new();

        public FakeImageCatalog Images { get; } = new();

        public FakeConductor Conductor { get; } = new();
    }
}
