using System.Globalization;
using Stratus.Host.Processes;

namespace Stratus.Host.Networking;

/// <summary>
/// XenAPI networks as Linux bridges (network.bridge) and VIFs as TAP devices enslaved to them, made with iproute2
/// (<c>ip link add ... type bridge</c>, <c>ip tuntap add ... mode tap</c>), optionally inside a network namespace.
/// Only when the agent holds CAP_NET_ADMIN and can open /dev/net/tun; otherwise <see cref="IsPermitted"/> is false
/// and callers fall back to QEMU user networking.
/// </summary>
internal sealed partial class BridgeNetworking(string? networkNamespace, ILogger logger)
{
    private const int CapNetAdmin = 12;

    /// <summary>Whether this process may create bridges and TAPs (CAP_NET_ADMIN in its effective set, /dev/net/tun present, ip installed).</summary>
    public bool IsPermitted { get; } = HasNetAdmin() && File.Exists("/dev/net/tun") && ExternalCommand.Find("ip") is not null;

    public string? NetworkNamespace { get; } = networkNamespace;

    /// <summary>A TAP name for a VIF: at most 15 characters (IFNAMSIZ), "st" + 9 hex digits of the VM uuid + "n" + device index.</summary>
    public static string TapName(string vmUuid, int index) =>
        $"st{vmUuid.Replace("-", "", StringComparison.Ordinal)[..9]}n{index.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Creates the bridge if it is missing and brings it up. Safe to race with itself.</summary>
    public async Task EnsureBridgeAsync(string bridge, int mtu, CancellationToken cancellationToken)
    {
        if (!(await IpAsync(["link", "show", "dev", bridge], cancellationToken)).Succeeded)
        {
            var add = await IpAsync(["link", "add", "name", bridge, "type", "bridge"], cancellationToken);
            if (!add.Succeeded && !add.StandardError.Contains("File exists", StringComparison.Ordinal))
                throw new CommandFailedException(add);
            if (add.Succeeded)
                Log.BridgeCreated(logger, bridge, NetworkNamespace ?? "");
        }

        if (mtu > 0)
            await IpCheckedAsync(["link", "set", "dev", bridge, "mtu", mtu.ToString(CultureInfo.InvariantCulture)], cancellationToken);
        await IpCheckedAsync(["link", "set", "dev", bridge, "up"], cancellationToken);
    }

    /// <summary>Creates a persistent TAP (replacing a leftover of the same name), enslaves it to the bridge and brings it up.</summary>
    public async Task CreateTapAsync(string tap, string bridge, int mtu, CancellationToken cancellationToken)
    {
        await DeleteTapAsync(tap, cancellationToken);
        await IpCheckedAsync(["tuntap", "add", "dev", tap, "mode", "tap"], cancellationToken);
        try
        {
            var set = new List<string> { "link", "set", "dev", tap, "master", bridge };
            if (mtu > 0)
                set.AddRange(["mtu", mtu.ToString(CultureInfo.InvariantCulture)]);
            set.Add("up");
            await IpCheckedAsync(set, cancellationToken);
        }
        catch
        {
            await DeleteTapAsync(tap, CancellationToken.None);
            throw;
        }

        Log.TapCreated(logger, tap, bridge);
    }

    /// <summary>Removes a TAP; a missing one is fine.</summary>
    public async Task DeleteTapAsync(string tap, CancellationToken cancellationToken)
    {
        var result = await IpAsync(["link", "del", "dev", tap], cancellationToken);
        if (result.Succeeded)
            Log.TapDeleted(logger, tap);
    }

    private async Task IpCheckedAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var result = await IpAsync(args, cancellationToken);
        if (!result.Succeeded)
            throw new CommandFailedException(result);
    }

    private Task<CommandResult> IpAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var ip = ExternalCommand.Find("ip") ?? "ip";
        return ExternalCommand.RunAsync(ip, NetworkNamespace is null ? args : ["-n", NetworkNamespace, .. args], cancellationToken);
    }

    /// <summary>Reads CapEff from /proc/self/status (a hex bit mask of capabilities, linux/capability.h).</summary>
    private static bool HasNetAdmin()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
            return line is not null
                && ulong.TryParse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var caps)
                && (caps & (1UL << CapNetAdmin)) != 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(3150, LogLevel.Information, "Created bridge {Bridge} (namespace '{Namespace}')")]
        public static partial void BridgeCreated(ILogger logger, string bridge, string @namespace);

        [LoggerMessage(3151, LogLevel.Debug, "Created TAP {Tap} on bridge {Bridge}")]
        public static partial void TapCreated(ILogger logger, string tap, string bridge);

        [LoggerMessage(3152, LogLevel.Debug, "Deleted TAP {Tap}")]
        public static partial void TapDeleted(ILogger logger, string tap);
    }
}
