using System.Collections.Concurrent;
using Stratus.Cloud.Network;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Tests.Compute.Support;

/// <summary>
/// The network service at compute's boundary: known networks by id, Neutron's refusals (unknown network 400,
/// ambiguous choice 409), and the addresses each server shows, set by the test.
/// </summary>
internal sealed class FakeNetworkAllocator : INetworkAllocator
{
    public const string PrivateId = "7a8c6c0e-1111-4c3b-9a7d-000000000001";

    public ConcurrentDictionary<string, string> Networks { get; } = new(StringComparer.OrdinalIgnoreCase) { [PrivateId] = "private" };

    public ConcurrentDictionary<Guid, InstanceNetworkView> Views { get; } = new();

    public int DescribeCalls { get; private set; }

    public Task ValidateAsync(string projectId, NetworkRequest request, CancellationToken cancellationToken)
    {
        if (request.Mode == NetworkRequestMode.Auto && Networks.Count > 1)
        {
            throw ApiException.Conflict("Multiple possible networks found, use a Network ID to be more specific.", "NetworkAmbiguous");
        }

        foreach (var network in request.Networks)
        {
            if (network.NetworkId is { } id && !Networks.ContainsKey(id))
            {
                throw ApiException.BadRequest($"Network {id} could not be found.", "NetworkNotFound");
            }

            if (network.PortId is { } port)
            {
                throw ApiException.BadRequest($"Port id {port} could not be found.", "PortNotFound");
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PortAllocation>> AllocateAsync(string projectId, Guid instanceId, NetworkRequest request, IReadOnlyList<string> securityGroups, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PortAllocation>>([]);

    public Task BindAsync(Guid instanceId, string host, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task DeallocateAsync(Guid instanceId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyDictionary<Guid, InstanceNetworkView>> DescribeAsync(IReadOnlyCollection<Guid> instanceIds, CancellationToken cancellationToken)
    {
        DescribeCalls++;
        var result = new Dictionary<Guid, InstanceNetworkView>();
        foreach (var id in instanceIds)
        {
            if (Views.TryGetValue(id, out var view))
            {
                result[id] = view;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<Guid, InstanceNetworkView>>(result);
    }

    /// <summary>Gives a server one fixed (and optionally one floating) address on "private" with the default group.</summary>
    public void Attach(Guid instanceId, string fixedIp, string? floatingIp = null, string mac = "FA:16:3E:00:00:01")
    {
        List<ServerAddress> addresses = [new("private", fixedIp, 4, "fixed", mac)];
        if (floatingIp is not null)
        {
            addresses.Add(new("private", floatingIp, 4, "floating", mac));
        }

        Views[instanceId] = new InstanceNetworkView(addresses, ["default"]);
    }
}
