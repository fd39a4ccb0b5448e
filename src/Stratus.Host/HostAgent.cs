using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Stratus.Host.Api;
using Stratus.Host.Api.Dispatch;
using Stratus.Host.Api.Messages.Vm;
using Stratus.Host.Backends;
using Stratus.Host.Bootstrap;

namespace Stratus.Host;

/// <summary>
/// The host agent (xapi's role): serves the XenAPI for one host. Starts in three steps: describe the host in the
/// database (bootstrap), take back the VMs that kept running while the agent was down (reconcile), then listen.
/// </summary>
public static class HostAgent
{
    /// <summary>The line printed on stdout once the agent answers: tests and <c>stratus up</c> wait for it.</summary>
    public const string ReadyPrefix = "stratus host agent ready: ";

    public static async Task<int> RunAsync(HostAgentOptions options, Action<ILoggingBuilder> configureLogging, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
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
        await StartAsync(app, options, cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await stdout.WriteLineAsync($"{ReadyPrefix}{address} (backend {options.Backend}, data {options.DataDirectory})");
        await stdout.FlushAsync(cancellationToken);
        try
        {
            await app.WaitForShutdownAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or the caller's cancellation: a normal stop.
        }

        return 0;
    }

    internal static WebApplication Build(HostAgentOptions options, Action<ILoggingBuilder> configureLogging)
    {
        var builder = WebApplication.CreateSlimBuilder();
        configureLogging(builder.Logging);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(options.ListenEndPoint);
            kestrel.AddServerHeader = false;
            // Image imports stream gigabytes; the XenAPI handlers bound their own bodies.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddHostAgent(options);
        var app = builder.Build();
        app.MapTransfers();
        app.MapXenApi();
        return app;
    }

    internal static async Task StartAsync(WebApplication app, HostAgentOptions options, CancellationToken cancellationToken)
    {
        // Build the method table now, so a registration mistake stops the start instead of the first call.
        app.Services.GetRequiredService<XenApiDispatcher>();
        await app.Services.GetRequiredService<HostBootstrap>().RunAsync(HostFacts.For(options), cancellationToken);
        var power = app.Services.GetRequiredService<VmPowerMessages>();
        app.Services.GetRequiredService<IVmBackend>().GuestStopped += power.OnGuestStopped;
        await power.ReconcileAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
    }
}
