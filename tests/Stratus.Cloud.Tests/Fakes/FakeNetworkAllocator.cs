using System.Collections.Concurrent;
using Stratus.Cloud.Network;

namespace Stratus.Cloud.Tests.Fakes;

/// <summary>One network, a port per server with a MAC and a fixed IP from 10.0.0.0/24; records binds and releases.</summary>
internal sealed class FakeNetworkAllocator : INetworkAllocator
{
    public const string NetworkId = "9a1f0c4e-0000-4000-8000-000000000001";

    private int _next = 10;

    public ConcurrentDictionary<Guid, IReadOnlyList<PortAllocation>> Ports { get; } = new();

    public ConcurrentDictionary<Guid, string> Bound { get; } = new();

    public ConcurrentBag<Guid> Released { get; } = [];

    public Task ValidateAsync(string projectId, NetworkRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<PortAllocation>> AllocateAsync(string projectId, Guid instanceId, NetworkRequest request, IReadOnlyList<string> securityGroups, CancellationToken cancellationToken)
    {
        if (request.Mode == NetworkRequestMode.None)
        {
            return Task.FromResult<IReadOnlyList<PortAllocation>>([]);
        }

        var n = Interlocked.Increment(ref _next);
        IReadOnlyList<PortAllocation> ports =
        [
            new PortAllocation(Guid.NewGuid().ToString("D"), NetworkId, "private", $"fa:16:3e:00:{n >> 8:x2}:{n & 0xff:x2}", 1500,
                [new FixedIp("subnet-1", $"10.0.{n >> 8}.{n & 0xff}", 4, "10.0.0.0/16", "10.0.0.1", ["10.0.0.2"])]),
        ];
        Ports[instanceId] = ports;
        return Task.FromResult(ports);
    }

    public Task BindAsync(Guid instanceId, string host, CancellationToken cancellationToken)
    {
        Bound[instanceId] = host;
        return Task.CompletedTask;
    }

    public Task DeallocateAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        Ports.TryRemove(instanceId, out _);
        Released.Add(instanceId);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<Guid, InstanceNetworkView>> DescribeAsync(IReadOnlyCollection<Guid> instanceIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<Guid, InstanceNetworkView>>(new Dictionary<Guid, InstanceNetworkView>());
}
