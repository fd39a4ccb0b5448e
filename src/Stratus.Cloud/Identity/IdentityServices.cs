using Stratus.Cloud.Identity.Api;
using Stratus.Cloud.Identity.Storage;
using Stratus.Cloud.Identity.Tokens;
using Stratus.Cloud.Identity.Views;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud.Identity;

/// <summary>Identity (Keystone v3): tables, stores, tokens, the bootstrap, and the API handlers.</summary>
internal static class IdentityServices
{
    public static IServiceCollection AddIdentity(this IServiceCollection services) => services
        .AddSingleton<ISchema, IdentitySchema>()
        .AddSingleton<IdentityCache>()
        .AddSingleton<IdentityDb>()
        .AddSingleton<DomainStore>()
        .AddSingleton<ProjectStore>()
        .AddSingleton<UserStore>()
        .AddSingleton<RoleStore>()
        .AddSingleton<AssignmentStore>()
        .AddSingleton<SigningKeyStore>()
        .AddSingleton<TokenCodec>()
        .AddSingleton<PrincipalLoader>()
        .AddSingleton<TokenService>()
        .AddSingleton<ITokenValidator>(sp => sp.GetRequiredService<TokenService>())
        .AddSingleton<Authenticator>()
        .AddSingleton<IdentityProvisioning>()
        .AddSingleton<IIdentityProvisioning>(sp => sp.GetRequiredService<IdentityProvisioning>())
        .AddSingleton<IIdentityDirectory, IdentityDirectory>()
        .AddSingleton<ServiceCatalog>()
        .AddSingleton<TokenView>()
        .AddSingleton<IdentityViews>()
        .AddSingleton<VersionApi>()
        .AddSingleton<AuthApi>()
        .AddSingleton<ProjectApi>()
        .AddSingleton<UserApi>()
        .AddSingleton<RoleApi>()
        .AddSingleton<AssignmentApi>()
        .AddSingleton<DomainApi>()
        .AddSingleton<CatalogApi>()
        .AddHostedService<IdentityBootstrap>();
}
