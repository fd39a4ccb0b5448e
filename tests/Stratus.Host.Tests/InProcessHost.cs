using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stratus.Host.Api.Dispatch;
using Stratus.Host.Api.Messages.Vm;
using Stratus.Host.Bootstrap;
using Stratus.Host.Database;
using Stratus.Testing;
using Stratus.XenApi;
using Stratus.XenApi.Wire;

namespace Stratus.Host.Tests;

/// <summary>
/// The host agent's parts wired as in production (AddHostAgent, bootstrap, reconcile) but called through the
/// dispatcher directly, without HTTP: for tests of API semantics that need many calls and no wire.
/// </summary>
internal sealed class InProcessHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly TempDirectory _data;

    private InProcessHost(ServiceProvider services, TempDirectory data, string session)
    {
        _services = services;
        _data = data;
        Session = session;
    }

    public string Session { get; }

    public ObjectDatabase Db => _services.GetRequiredService<ObjectDatabase>();

    public HostIdentity Identity => _services.GetRequiredService<HostIdentity>();

    public static async Task<InProcessHost> StartAsync(Action<HostAgentOptions>? configure, CancellationToken cancellationToken)
    {
        var data = new TempDirectory("stratus-host-test");
        var options = new HostAgentOptions { DataDirectory = data.Path, Password = "pw", HostName = "unit", Listen = "127.0.0.1:0" };
        configure?.Invoke(options);
        var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning)).AddHostAgent(options).BuildServiceProvider();
        await services.GetRequiredService<HostBootstrap>().RunAsync(HostFacts.For(options), cancellationToken);
        await services.GetRequiredService<VmPowerMessages>().ReconcileAsync(cancellationToken);
        var dispatcher = services.GetRequiredService<XenApiDispatcher>();
        var login = await dispatcher.DispatchAsync(new RpcRequest("session.login_with_password", ["root", "pw"]), cancellationToken);
        return new InProcessHost(services, data, (string)login.Value!);
    }

    /// <summary>Calls a method that takes the session first; a failure throws <see cref="XenApiFailure"/>.</summary>
    public async Task<object?> CallAsync(string method, params object?[] args)
    {
        var result = await _services.GetRequiredService<XenApiDispatcher>()
            .DispatchAsync(new RpcRequest(method, [Session, .. args]), TestContext.Current.CancellationToken);
        return result.IsSuccess ? result.Value : throw new XenApiFailure(result.Failure![0], [.. result.Failure.Skip(1)]);
    }

    public async Task<T> CallAsync<T>(string method, params object?[] args) => (T)(await CallAsync(method, args))!;

    public async Task<IReadOnlyDictionary<string, object?>> RecordAsync(string cls, string reference) =>
        (IReadOnlyDictionary<string, object?>)(await CallAsync($"{cls}.get_record", reference))!;

    /// <summary>Creates a halted VM with the given memory (bytes) and VCPUs.</summary>
    public Task<string> CreateVmAsync(string name, long memory, long vcpus = 1, long? staticMin = null) =>
        CallAsync<string>("VM.create", new Dictionary<string, object?>
        {
            ["name_label"] = name,
            ["memory_static_min"] = staticMin ?? memory,
            ["memory_dynamic_min"] = memory,
            ["memory_dynamic_max"] = memory,
            ["memory_static_max"] = memory,
            ["VCPUs_max"] = vcpus,
            ["VCPUs_at_startup"] = vcpus,
        });

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        _data.Dispose();
    }
}
