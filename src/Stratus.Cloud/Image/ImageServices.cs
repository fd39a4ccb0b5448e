using Stratus.Cloud.Image.Data;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Image;

/// <summary>The image service (Glance v2) in the controller: storage, routes, and the catalog Compute uses.</summary>
internal static class ImageServices
{
    public static IServiceCollection AddImages(this IServiceCollection services) => services
        .AddSingleton<ISchema, ImageSchema>()
        .AddSingleton<ImageStore>()
        .AddSingleton<ImageDataStore>()
        .AddSingleton<ImageService>()
        .AddSingleton<IImageCatalog, ImageCatalog>()
        .AddHostedService<ImageRecovery>();

    public static IEndpointRouteBuilder MapImages(this IEndpointRouteBuilder app)
    {
        ImageEndpoints.Map(app);
        return app;
    }
}
