using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Stratus.Host.Api;

namespace Stratus.Host;

/// <summary>
/// Many independent sim host agents in one process (<c>stratus host serve --count N</c>), so one test or one
/// machine can stand in for hundreds of hosts. Each agent has its own services, object database (DATA/host-&lt;i&gt;),
/// host name (NAME-&lt;i&gt;) and port; they share one Kestrel server, one logger and the thread pool, which is what
/// keeps a thousand of them in a few hundred megabytes. A connection reaches the agent that owns its local port.
/// </summary>
public static class HostFarm
{
    // Bootstraps write SQLite and ledger files; a few at a time keeps two cores busy without a pile-up.
    private const int StartConcurrency = 4;

    public static async Task<int> RunAsync(HostAgentOptions template, int count, Action<ILoggingBuilder> configureLogging, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var problems = Validate(template, count);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await stderr.WriteLineAsync(problem);
            }

            return 2;
        }

        var members = Members(template, count);
        var builder = HostAgent.CreateBuilder(configureLogging);
        var listeners = new ListenOptions[count];
        builder.WebHost.UseKestrel(kestrel =>
        {
            HostAgent.ConfigureKestrel(kestrel);
            for (var i = 0; i < count; i++)
            {
                var index = i;
                kestrel.Listen(members[i].ListenEndPoint, listen => listeners[index] = listen);
            }
        });
        await using var app = builder.Build();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var agents = new ServiceProvider?[count];
        try
        {
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = StartConcurrency, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                Directory.CreateDirectory(members[i].DataDirectory);
                var services = new ServiceCollection()
                    .AddSingleton(loggers)
                    .AddLogging()
                    .AddHostAgent(members[i])
                    .BuildServiceProvider();
                agents[i] = services;
                await HostAgent.PrepareAsync(services, members[i], ct);
                foreach (var hosted in services.GetServices<IHostedService>())
                {
                    await hosted.StartAsync(ct);
                }
            });

            var byPort = new ConcurrentDictionary<int, IServiceProvider>();
            app.Use((http, next) =>
            {
                // The connection's local port names the agent; its services answer the call.
                http.RequestServices = byPort[http.Connection.LocalPort];
                return next(http);
            });
            // The XenAPI and the HTTP handlers beside it (import_raw_vdi, console_log): both take their services
            // explicitly from the request's container, the agent the port names.
            app.MapTransfers();
            app.MapXenApi();
            await app.StartAsync(cancellationToken);
            for (var i = 0; i < count; i++)
            {
                var port = listeners[i].IPEndPoint!.Port;
                byPort[port] = agents[i]!;
                var address = new IPEndPoint(members[i].ListenEndPoint.Address, port);
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{HostAgent.ReadyPrefix}http://{address} (backend sim, data {members[i].DataDirectory}, host {members[i].HostName})"));
            }

            await stdout.FlushAsync(cancellationToken);

            // Starting N agents leaves a lot of garbage (bootstrap records, SQLite statements, JSON); give it back to
            // the OS once, so the farm's resident size is what its agents hold.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
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
        finally
        {
            foreach (var services in agents.OfType<ServiceProvider>())
            {
                foreach (var hosted in services.GetServices<IHostedService>())
                {
                    await hosted.StopAsync(CancellationToken.None);
                }

                await services.DisposeAsync();
            }
        }
    }

    /// <summary>The options of member <c>i</c>: DATA/host-&lt;i&gt;, NAME-&lt;i&gt;, and port+i (or a free port when the port is 0).</summary>
    internal static HostAgentOptions[] Members(HostAgentOptions template, int count)
    {
        var endpoint = template.ListenEndPoint;
        var name = template.HostName.Length > 0 ? template.HostName : Dns.GetHostName();
        return Enumerable.Range(0, count).Select(i => new HostAgentOptions
        {
            Listen = new IPEndPoint(endpoint.Address, endpoint.Port == 0 ? 0 : endpoint.Port + i).ToString(),
            DataDirectory = Path.Combine(template.DataDirectory, string.Create(CultureInfo.InvariantCulture, $"host-{i}")),
            Backend = template.Backend,
            User = template.User,
            Password = template.Password,
            HostName = string.Create(CultureInfo.InvariantCulture, $"{name}-{i}"),
            SimCpus = template.SimCpus,
            SimMemoryBytes = template.SimMemoryBytes,
            SimDiskBytes = template.SimDiskBytes,
            SimStartDelay = template.SimStartDelay,
            SimStopDelay = template.SimStopDelay,
            ControlDomainMemoryBytes = template.ControlDomainMemoryBytes,
            CleanShutdownTimeout = template.CleanShutdownTimeout,
        }).ToArray();
    }

    private static List<string> Validate(HostAgentOptions template, int count)
    {
        var problems = template.Validate().ToList();
        if (template.Backend != "sim")
        {
            problems.Add($"--count: only the sim backend runs several hosts in one process (not '{template.Backend}')");
        }

        if (count < 1)
        {
            problems.Add($"--count: {count} must be at least 1");
        }
        else if (problems.Count == 0 && template.ListenEndPoint.Port is > 0 and var port && port + count - 1 > IPEndPoint.MaxPort)
        {
            problems.Add($"--count: {count} consecutive ports from {port} go past {IPEndPoint.MaxPort}");
        }

        return problems;
    }
}
