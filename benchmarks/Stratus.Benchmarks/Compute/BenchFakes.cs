using Stratus.Cloud.Conductor;
using Stratus.Cloud.Identity;
using Stratus.Cloud.Image;
using Stratus.Cloud.Network;

namespace Stratus.Benchmarks.Compute;

/// <summary>Token check used only when no identity service is registered (the figure then excludes identity's cost).</summary>
internal sealed class BenchTokenValidator : ITokenValidator
{
    public const string Token = "bench-admin-token";

    private static readonly TokenInfo Admin = new("bench-user", "admin", "bench-project", "admin", ["admin", "member", "reader"], DateTime.UtcNow, DateTime.MaxValue, "bench");

    public ValueTask<TokenInfo?> ValidateAsync(string token, CancellationToken cancellationToken) =>
        ValueTask.FromResult(token == Token ? Admin : null);
}

/// <summary>Addresses held in memory: isolates the compute API's own cost from the network service's.</summary>
internal sealed class BenchNetwork : INetworkAllocator
{
    public Dictionary<Guid, InstanceNetworkView> Views { get; } = [];

    public Task ValidateAsync(string projectId, NetworkRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<PortAllocation>> AllocateAsync(string projectId, Guid instanceId, NetworkRequest request, IReadOnlyList<string> securityGroups, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PortAllocation>>([]);

    public Task BindAsync(Guid instanceId, string host, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task DeallocateAsync(Guid instanceId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyDictionary<Guid, InstanceNetworkView>> DescribeAsync(IReadOnlyCollection<Guid> instanceIds, CancellationToken cancellationToken)
    {
        var result = new Dictionary<Guid, InstanceNetworkView>(instanceIds.Count);
        foreach (var id in instanceIds)
        {
            if (Views.TryGetValue(id, out var view))
            {
                result[id] = view;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<Guid, InstanceNetworkView>>(result);
    }
}

internal sealed class BenchImages : IImageCatalog
{
    public Task<ImageInfo?> FindAsync(string imageId, string? projectId, CancellationToken cancellationToken) => Task.FromResult<ImageInfo?>(null);

    public Task<Stream> OpenReadAsync(string imageId, CancellationToken cancellationToken) => Task.FromResult<Stream>(new MemoryStream());
}

internal sealed class BenchConductor : IConductor
{
    public Task BuildAsync(Guid instanceId, string requestId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(Guid instanceId, string requestId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(Guid instanceId, string requestId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RebootAsync(Guid instanceId, bool hard, string requestId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task DeleteAsync(Guid instanceId, string requestId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<string> ConsoleOutputAsync(Guid instanceId, int? lines, CancellationToken cancellationToken) => Task.FromResult("");
}
