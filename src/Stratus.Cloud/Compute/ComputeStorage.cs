using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Compute.Services;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Compute;

/// <summary>The stores the compute API and the conductor share: servers (with faults and actions) and services.</summary>
internal static class ComputeStorage
{
    public static IServiceCollection AddComputeStorage(this IServiceCollection services) => services
        .AddSingleton<ISchema, InstanceSchema>()
        .AddSingleton<IInstanceStore, InstanceStore>()
        .AddSingleton<ISchema, ServiceSchema>()
        .AddSingleton<IServiceStore, ServiceStore>();
}
