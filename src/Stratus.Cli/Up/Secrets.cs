using System.Security.Cryptography;
using System.Text.Json;

namespace Stratus.Cli.Up;

/// <summary>
/// Passwords <c>stratus up</c> generates once and keeps (mode 600) in the data directory: the admin password when
/// none was configured (printed once), and the embedded host agent's root password.
/// </summary>
internal sealed record Secrets(string AdminPassword, string HostPassword, bool AdminPasswordGenerated)
{
    public static Secrets LoadOrCreate(RunDirectory run, string? configuredAdminPassword)
    {
        Stored? stored = null;
        if (File.Exists(run.SecretsFile))
        {
            stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(run.SecretsFile));
        }

        var generated = configuredAdminPassword is null && stored?.AdminPassword is null;
        var secrets = new Stored(configuredAdminPassword ?? stored?.AdminPassword ?? NewPassword(), stored?.HostPassword ?? NewPassword());
        if (stored != secrets)
        {
            Directory.CreateDirectory(run.Root);
            File.WriteAllText(run.SecretsFile, JsonSerializer.Serialize(secrets));
            File.SetUnixFileMode(run.SecretsFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new Secrets(secrets.AdminPassword!, secrets.HostPassword!, generated);
    }

    private static string NewPassword() => Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();

    private sealed record Stored(string? AdminPassword, string? HostPassword);
}
