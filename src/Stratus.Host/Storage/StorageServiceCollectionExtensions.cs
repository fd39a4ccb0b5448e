using Microsoft.Extensions.DependencyInjection.Extensions;
using Stratus.Host.Processes;
using Stratus.Host.Storage.Ext;
using Stratus.Host.Storage.Images;
using Stratus.Host.Storage.Iso;
using Stratus.Host.Storage.Lvm;
using Stratus.Host.Storage.Nfs;

namespace Stratus.Host.Storage;

/// <summary>
/// Registers the real storage drivers (ext, nfs, lvm, iso) as the agent's <see cref="ISrDrivers"/>, with the process
/// runner and qemu-img they share: what the qemu backend uses in place of the sim's bookkeeping drivers.
/// </summary>
internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICommandRunner, ProcessRunner>();
        services.TryAddSingleton<QemuImg>();
        services.AddSingleton<ISrDriver, ExtSrDriver>();
        services.AddSingleton<ISrDriver, NfsSrDriver>();
        services.AddSingleton<ISrDriver>(provider => new LvmSrDriver(
            provider.GetRequiredService<ICommandRunner>(),
            provider.GetRequiredService<QemuImg>(),
            provider.GetRequiredService<ILogger<LvmSrDriver>>()));
        services.AddSingleton<ISrDriver, IsoSrDriver>();
        services.TryAddSingleton<SrDriverRegistry>();
        services.TryAddSingleton<ISrDrivers>(provider => provider.GetRequiredService<SrDriverRegistry>());
        return services;
    }
}
