using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Stratus.Host.Api;
using Stratus.Host.Api.Dispatch;
using Stratus.Host.Api.Messages.Vm;
using Stratus.Host.Backends;
using Stratus.Host.Backends.Qemu;
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
        // The qemu backend's loggers live as long as the backend: the factory is disposed after it.
        using var qemuLoggers = options.Backend == "qemu" ? LoggerFactory.Create(configureLogging) : null;
        await using var qemu = qemuLoggers is null ? null : await CreateQemuAsync(options, qemuLoggers, stderr, cancellationToken);
        if (options.Backend == "qemu" && qemu is null)
        {
            return 2;
        }

        await using var app = Build(options, configureLogging, qemu);
        await StartAsync(app, options, cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        app.Services.GetRequiredService<HostIdentity>().BaseUrl = ReachableUrl(address, options);
        var accelerator = qemu is null ? "" : $", accelerator {qemu.Accelerator}: {qemu.AcceleratorReason}";
        await stdout.WriteLineAsync($"{ReadyPrefix}{address} (backend {options.Backend}{accelerator}, data {options.DataDirectory})");
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

    /// <summary>The bound URL as clients can use it: a wildcard address (0.0.0.0, [::]) becomes the host's address.</summary>
    private static string ReachableUrl(string bound, HostAgentOptions options)
    {
        var uri = new UriBuilder(bound);
        if (System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && (ip.Equals(System.Net.IPAddress.Any) || ip.Equals(System.Net.IPAddress.IPv6Any)))
        {
            uri.Host = HostFacts.For(options).Address;
        }

        return uri.Uri.ToString().TrimEnd('/');
    }

    /// <summary>
    /// The qemu backend, with its accelerator settled before the agent listens (a KVM probe boot takes seconds).
    /// Null, with the reason on <paramref name="stderr"/>, when the settings cannot work.
    /// </summary>
    private static async Task<QemuVmBackend?> CreateQemuAsync(HostAgentOptions options, ILoggerFactory loggers, TextWriter stderr, CancellationToken cancellationToken)
    {
        var qemuOptions = new QemuOptions
        {
            DataDirectory = options.DataDirectory,
            Binary = options.QemuBinary,
            Accelerator = options.Accelerator,
            NetworkNamespace = options.NetworkNamespace.Length > 0 ? options.NetworkNamespace : null,
        };
        try
        {
            return await QemuVmBackend.CreateAsync(qemuOptions, loggers, TimeProvider.System, cancellationToken);
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return null;
        }
    }

    internal static WebApplication Build(HostAgentOptions options, Action<ILoggingBuilder> configureLogging, QemuVmBackend? qemu = null)
    {
        var builder = CreateBuilder(configureLogging);
        builder.WebHost.UseKestrel(kestrel =>
        {
            // CONNECT /console is taken before HTTP (see ConsoleConnections).
            kestrel.Listen(options.ListenEndPoint, listen => listen.Use(next => connection =>
                listen.ApplicationServices.GetRequiredService<ConsoleConnections>().OnConnectionAsync(connection, next)));
            ConfigureKestrel(kestrel);
        });
        builder.Services.AddHostAgent(options, qemu);
        var app = builder.Build();
        app.MapTransfers();
        app.MapXenApi();
        return app;
    }

    /// <summary>The web host with the caller's logging, no services or listeners yet (shared with <see cref="HostFarm"/>).</summary>
    internal static WebApplicationBuilder CreateBuilder(Action<ILoggingBuilder> configureLogging)
    {
        var builder = WebApplication.CreateSlimBuilder();
        configureLogging(builder.Logging);
        return builder;
    }

    internal static void ConfigureKestrel(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel)
    {
        kestrel.AddServerHeader = false;
        // Image imports stream gigabytes; the XenAPI handlers bound their own bodies.
        kestrel.Limits.MaxRequestBodySize = null;
    }

    internal static async Task StartAsync(WebApplication app, HostAgentOptions options, CancellationToken cancellationToken)
    {
        await PrepareAsync(app.Services, options, cancellationToken);
        await app.StartAsync(cancellationToken);
    }

    /// <summary>Everything before listening: the method table, the bootstrap and the reconcile of running VMs.</summary>
    internal static async Task PrepareAsync(IServiceProvider services, HostAgentOptions options, CancellationToken cancellationToken)
    {
        // Build the method table now, so a registration mistake stops the start instead of the first call.
        services.GetRequiredService<XenApiDispatcher>();
        await services.GetRequiredService<HostBootstrap>().RunAsync(HostFacts.For(options), cancellationToken);
        var power = services.GetRequiredService<VmPowerMessages>();
        services.GetRequiredService<IVmBackend>().GuestStopped += power.OnGuestStopped;
        await power.ReconcileAsync(cancellationToken);
    }
}
