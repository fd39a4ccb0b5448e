using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Stratus.Cloud.Compute;
using Stratus.Cloud.Conductor;
using Stratus.Cloud.Identity;
using Stratus.Cloud.Image;
using Stratus.Cloud.Network;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.Persistence;

namespace Stratus.Cloud;

/// <summary>
/// The cloud controller: Keystone, Nova, Glance and a small Neutron on one listener with DevStack's paths, driving
/// XenAPI hosts. Reads like a table of contents: one AddX and one MapX per area.
/// </summary>
public static class CloudHost
{
    /// <summary>The line printed on stdout once every API answers.</summary>
    public const string ReadyPrefix = "stratus cloud ready: ";

    public static async Task<int> RunAsync(CloudOptions options, Action<ILoggingBuilder> configureLogging, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await stderr.WriteLineAsync(problem);
            }

            return 2;
        }

        Directory.CreateDirectory(options.DataDirectory);
        await using var app = Build(options, configureLogging);
        try
        {
            await StartAsync(app, cancellationToken);
        }
        catch (CloudStartupException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return 2;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await stdout.WriteLineAsync($"{ReadyPrefix}{address} (identity {address}{ServiceUrls.IdentityPrefix}/v3)");
        await stdout.FlushAsync(cancellationToken);
        try
        {
            await app.WaitForShutdownAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // A normal stop.
        }

        return 0;
    }

    /// <summary>Loads options from a JSON config file (keys as in <see cref="CloudOptions"/>).</summary>
    public static CloudOptions LoadOptions(string path)
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false).Build();
        var options = new CloudOptions();
        configuration.Bind(options);
        return options;
    }

    // overrides: registrations applied last (in-process tests replace other areas with fakes).
    internal static WebApplication Build(CloudOptions options, Action<ILoggingBuilder> configureLogging, Action<IServiceCollection>? overrides = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        configureLogging(builder.Logging);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(options.ListenEndPoint);
            kestrel.AddServerHeader = false;
            // Image uploads stream large files; each API bounds its own bodies.
            kestrel.Limits.MaxRequestBodySize = null;
        });

        builder.Services
            .AddSingleton(options)
            .AddSingleton(TimeProvider.System)
            .AddPersistence(options)
            .AddOpenStack()
            .AddIdentity()
            .AddComputeStorage()
            .AddImages()
            .AddNetworks()
            .AddCompute()
            .AddConductor();
        overrides?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseOpenStack();
        app.MapIdentity();
        app.MapImages();
        app.MapNetworks();
        app.MapCompute();
        app.MapConductor();
        return app;
    }

    internal static async Task StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);
        await app.StartAsync(cancellationToken);

        // With no PublicUrl, advertise the address actually bound (Listen may ask for port 0), so the catalog and
        // the version documents' self links point where clients can reach us.
        var options = app.Services.GetRequiredService<CloudOptions>();
        if (options.PublicUrl.Length == 0)
        {
            options.PublicUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        }
    }
}
