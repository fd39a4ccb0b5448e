using Stratus.Host.Api;
using Stratus.Host.Api.Dispatch;
using Stratus.Host.Api.Generic;
using Stratus.Host.Api.Messages;
using Stratus.Host.Api.Messages.Host;
using Stratus.Host.Api.Messages.Network;
using Stratus.Host.Api.Messages.Storage;
using Stratus.Host.Api.Messages.Vm;
using Stratus.Host.Backends;
using Stratus.Host.Backends.Qemu;
using Stratus.Host.Backends.Sim;
using Stratus.Host.Bootstrap;
using Stratus.Host.Database;
using Stratus.Host.Events;
using Stratus.Host.Sessions;
using Stratus.Host.Storage;
using Stratus.Host.Storage.Sim;
using Stratus.Host.Tasks;

namespace Stratus.Host;

/// <summary>The host agent's parts, wired for dependency injection: one <c>AddX</c> per area.</summary>
internal static class HostAgentServices
{
    /// <param name="services">The container to fill.</param>
    /// <param name="options">The agent's settings.</param>
    /// <param name="qemu">The qemu backend, created beforehand (its accelerator probe is asynchronous); null for sim.</param>
    public static IServiceCollection AddHostAgent(this IServiceCollection services, HostAgentOptions options, QemuVmBackend? qemu = null) => services
        .AddCore(options)
        .AddBackend(options, qemu)
        .AddMessages()
        .AddHostedService<Housekeeping>();

    private static IServiceCollection AddCore(this IServiceCollection services, HostAgentOptions options) => services
        .AddSingleton(options)
        .AddSingleton(TimeProvider.System)
        .AddSingleton<HostIdentity>()
        .AddSingleton(_ => new ObjectDatabase(Path.Combine(options.DataDirectory, "xapi.db")))
        .AddSingleton<SessionService>()
        .AddSingleton<TaskService>()
        .AddSingleton<EventService>()
        .AddSingleton<HostBootstrap>();

    /// <summary>The VM backend and the storage managers that go with it.</summary>
    private static IServiceCollection AddBackend(this IServiceCollection services, HostAgentOptions options, QemuVmBackend? qemu) => options.Backend switch
    {
        "sim" => services.AddSingleton<IVmBackend, SimVmBackend>().AddSingleton<ISrDrivers, SimSrDrivers>(),
        "qemu" when qemu is not null => services.AddSingleton<IVmBackend>(qemu).AddStorage(),
        _ => throw new ArgumentException($"--backend: '{options.Backend}' is not available in this build", nameof(options)),
    };

    private static IServiceCollection AddMessages(this IServiceCollection services)
    {
        services
            .AddSingleton<SrContexts>()
            .AddSingleton<VdiOperations>()
            .AddSingleton<VmPowerMessages>()
            .AddSingleton<IMessageArea>(sp => sp.GetRequiredService<VmPowerMessages>());
        foreach (var area in new[]
        {
            typeof(SystemMessages), typeof(SessionMessages), typeof(EventMessages), typeof(TaskMessages), typeof(AlertMessages),
            typeof(HostMessages), typeof(VmMessages), typeof(VmMemoryMessages), typeof(SrMessages), typeof(PbdMessages),
            typeof(VdiMessages), typeof(VbdMessages), typeof(NetworkMessages), typeof(VifMessages), typeof(PifMessages),
        })
        {
            services.AddSingleton(typeof(IMessageArea), area);
        }

        return services
            .AddSingleton(sp =>
            {
                // The generated methods are shared; an area's explicit message of the same name takes precedence.
                var table = new MethodTable(GenericMethods.Table);
                foreach (var area in sp.GetServices<IMessageArea>())
                {
                    area.Register(table);
                }

                return table;
            })
            .AddSingleton<XenApiDispatcher>()
            .AddSingleton<ConsoleConnections>();
    }
}
