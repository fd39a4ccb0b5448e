using Stratus.Cloud.Identity.Tokens;

namespace Stratus.Cloud.Identity;

/// <summary>
/// At every start, after the schema is migrated and before the listener opens: loads (or first creates) the token
/// signing key and runs the idempotent bootstrap. Refuses to start, naming AdminPassword, when no admin user exists
/// and no password was configured.
/// </summary>
internal sealed class IdentityBootstrap(SigningKeyStore keys, TokenCodec codec, IdentityProvisioning provisioning, CloudOptions options, ILogger<IdentityBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var loaded = await keys.EnsureAsync(cancellationToken);
        codec.Load(loaded);
        logger.SigningKeyReady(loaded.Max(k => k.Id));
        await provisioning.BootstrapAsync(options.AdminPassword, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
