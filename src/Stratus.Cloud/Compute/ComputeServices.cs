using Stratus.Cloud.Compute.Api;
using Stratus.Cloud.Compute.AvailabilityZones;
using Stratus.Cloud.Compute.Flavors;
using Stratus.Cloud.Compute.Hypervisors;
using Stratus.Cloud.Compute.Keypairs;
using Stratus.Cloud.Compute.Quotas;
using Stratus.Cloud.Compute.Servers;
using Stratus.Cloud.Compute.Services;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Compute;

/// <summary>
/// The compute API (Nova v2.1, microversions 2.1 to 2.79) under /compute: version documents without a token, every
/// other route behind the token filter and microversion negotiation.
/// </summary>
internal static class ComputeServices
{
    public static IServiceCollection AddCompute(this IServiceCollection services) => services
        .AddSingleton<ISchema, FlavorSchema>()
        .AddSingleton<IFlavorStore, FlavorStore>()
        .AddSingleton<ISchema, KeypairSchema>()
        .AddSingleton<IKeypairStore, KeypairStore>()
        .AddSingleton<ISchema, QuotaSchema>()
        .AddSingleton<IQuotaStore, QuotaStore>()
        .AddSingleton<ServerAccess>()
        .AddSingleton<ServerViewLoader>()
        .AddSingleton<ServerLister>()
        .AddSingleton<ServerCreator>()
        .AddSingleton<ServerActionEndpoints.Context>()
        .AddSingleton<HypervisorEndpoints.Context>();

    public static IEndpointRouteBuilder MapCompute(this IEndpointRouteBuilder app)
    {
        ComputeVersions.Map(app);
        var api = app.MapGroup(ServiceUrls.ComputePrefix + "/v2.1").RequireToken().WithComputeMicroversions();
        ServerEndpoints.Map(api);
        ServerActionEndpoints.Map(api);
        ServerMetadataEndpoints.Map(api);
        ServerIpsEndpoints.Map(api);
        InstanceActionEndpoints.Map(api);
        FlavorEndpoints.Map(api);
        KeypairEndpoints.Map(api);
        ServiceEndpoints.Map(api);
        HypervisorEndpoints.Map(api);
        AvailabilityZoneEndpoints.Map(api);
        QuotaEndpoints.Map(api);
        api.MapGet("/limits", QuotaEndpoints.LimitsAsync);
        return app;
    }
}
