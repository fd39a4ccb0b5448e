using Stratus.Cloud.Network.Api;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Network;

/// <summary>The network service (a Neutron v2.0 subset) in the controller: storage, routes, and the allocator Compute uses.</summary>
internal static class NetworkServices
{
    public static IServiceCollection AddNetworks(this IServiceCollection services) => services
        .AddSingleton<ISchema, NetworkSchema>()
        .AddSingleton<NeutronService>()
        .AddSingleton<INetworkAllocator, NetworkAllocator>();

    public static IEndpointRouteBuilder MapNetworks(this IEndpointRouteBuilder app)
    {
        NeutronEndpoints.Map(app);
        return app;
    }
}
