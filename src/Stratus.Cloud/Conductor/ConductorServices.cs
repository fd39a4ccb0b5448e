using Stratus.Cloud.Conductor.Build;
using Stratus.Cloud.Conductor.Hosts;
using Stratus.Cloud.Conductor.Operations;
using Stratus.Cloud.Conductor.Placement;
using Stratus.Cloud.Conductor.Work;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Conductor;

/// <summary>The conductor area: managed hosts and their heartbeats, placement and claims, durable work, the admin hosts API.</summary>
internal static class ConductorServices
{
    public static IServiceCollection AddConductor(this IServiceCollection services)
    {
        services.AddSingleton<ISchema, WorkSchema>()
            .AddSingleton<IWorkStore, WorkStore>()
            .AddSingleton<WorkRunner>()
            .AddSingleton<PlacementService>()
            .AddSingleton<IXenApiConnector, XenApiConnector>()
            .AddSingleton<HostRegistry>()
            .AddSingleton<HostViews>()
            .AddSingleton<Spawner>()
            .AddSingleton<ActionRecorder>()
            .AddSingleton<BuildWorkflow>()
            .AddSingleton<PowerWorkflow>()
            .AddSingleton<DeleteWorkflow>()
            .AddSingleton<ConductorService>()
            .AddSingleton<IConductor>(sp => sp.GetRequiredService<ConductorService>())
            .AddSingleton<IVmStateObserver>(sp => sp.GetRequiredService<ConductorService>());

        // Start order: resume work (and load the hosts), then the heartbeats, then the controller's own services.
        services.AddHostedService<ConductorLifetime>()
            .AddHostedService<HostMonitor>()
            .AddHostedService<ControllerServices>();
        return services;
    }

    public static IEndpointRouteBuilder MapConductor(this IEndpointRouteBuilder endpoints) => endpoints.MapHosts();
}
