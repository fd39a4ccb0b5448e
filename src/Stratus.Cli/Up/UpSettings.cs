namespace Stratus.Cli.Up;

/// <summary>Everything <c>stratus up</c> needs to run the all-in-one cloud, after defaults, config file and flags.</summary>
internal sealed record UpSettings
{
    public required string DataDirectory { get; init; }

    /// <summary>The controller's listener; the embedded host agent takes the next port.</summary>
    public string Listen { get; init; } = "127.0.0.1:8800";

    /// <summary><c>qemu</c>, <c>sim</c>, or null to choose (qemu when qemu-system-x86_64 is installed).</summary>
    public string? Backend { get; init; }

    /// <summary>The admin (and demo) password; generated and printed once when nobody gave one.</summary>
    public string? AdminPassword { get; init; }

    /// <summary>A real XenServer/XCP-ng pool to manage instead of the embedded host agent (localrc XENAPI_CONNECTION_URL).</summary>
    public ExternalHost? ExternalHost { get; init; }

    /// <summary>The private network (localrc FIXED_RANGE).</summary>
    public string FixedRange { get; init; } = "10.0.0.0/24";

    /// <summary>The public network with the floating-IP pool (localrc FLOATING_RANGE).</summary>
    public string FloatingRange { get; init; } = "172.24.4.0/24";

    public System.Net.IPEndPoint ListenEndPoint => System.Net.IPEndPoint.Parse(Listen);

    public string AgentListen => $"{ListenEndPoint.Address}:{ListenEndPoint.Port + 1}";

    public string BaseUrl => $"http://{Listen}";

    public string AgentUrl => $"http://{AgentListen}/";
}
