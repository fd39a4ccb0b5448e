using Stratus.Cloud.OpenStack.Auth;
using Stratus.Cloud.OpenStack.Faults;
using Stratus.Cloud.OpenStack.Microversions;

namespace Stratus.Cloud.OpenStack;

/// <summary>The cross-cutting OpenStack pieces: URLs, request ids, fault bodies, token checks, microversions.</summary>
internal static class OpenStackServices
{
    public static IServiceCollection AddOpenStack(this IServiceCollection services) => services
        .AddSingleton<ServiceUrls>()
        .AddSingleton<TokenFilter>()
        .AddSingleton<ComputeMicroversionFilter>();

    /// <summary>Request ids first, so even a fault carries one; then the one place fault bodies are written.</summary>
    public static IApplicationBuilder UseOpenStack(this IApplicationBuilder app) => app
        .UseMiddleware<RequestIdMiddleware>()
        .UseMiddleware<OpenStackFaultMiddleware>();

    /// <summary>Puts a route group behind token authentication.</summary>
    public static RouteGroupBuilder RequireToken(this RouteGroupBuilder group) => group.AddEndpointFilter<TokenFilter>();

    /// <summary>Negotiates the compute microversion on every route of the group.</summary>
    public static RouteGroupBuilder WithComputeMicroversions(this RouteGroupBuilder group) => group.AddEndpointFilter<ComputeMicroversionFilter>();
}
