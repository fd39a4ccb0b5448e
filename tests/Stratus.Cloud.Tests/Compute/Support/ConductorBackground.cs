using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Stratus.Cloud.Tests.Compute.Support;

/// <summary>
/// The compute API's tests stand a fake in for the conductor, so the real conductor's background services (work
/// recovery, host heartbeats, the controller's own os-services rows) must not run beside it: they would add rows
/// to os-services and mark the tests' hand-made compute hosts down, racing the assertions.
/// </summary>
internal static class ConductorBackground
{
    public static IServiceCollection RemoveConductorBackground(this IServiceCollection services)
    {
        var conductor = typeof(Stratus.Cloud.Conductor.IConductor).Namespace!;
        var background = services.Where(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.Namespace is { } ns && ns.StartsWith(conductor, StringComparison.Ordinal)).ToList();
        foreach (var descriptor in background)
        {
            services.Remove(descriptor);
        }

        return services;
    }
}
