using System.Net;

namespace Stratus.Host;

/// <summary>
/// Settings of one host agent (<c>stratus host serve</c>). Validated at start by <see cref="Validate"/>,
/// which names the option to fix.
/// </summary>
public sealed class HostAgentOptions
{
    /// <summary>Address and port of the XenAPI listener, e.g. <c>127.0.0.1:8080</c> (port 0 picks a free one).</summary>
    public string Listen { get; set; } = "127.0.0.1:8080";

    /// <summary>Where the object database, SRs and VM state live.</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary><c>sim</c> or <c>qemu</c>.</summary>
    public string Backend { get; set; } = "sim";

    public string User { get; set; } = "root";

    public string Password { get; set; } = "";

    /// <summary>The host's name_label and hostname; the machine name when empty.</summary>
    public string HostName { get; set; } = "";

    /// <summary>Physical CPUs the sim backend reports.</summary>
    public int SimCpus { get; set; } = 16;

    /// <summary>Physical RAM the sim backend reports, in bytes.</summary>
    public long SimMemoryBytes { get; set; } = 64L << 30;

    /// <summary>Size of the sim host's local SR, in bytes.</summary>
    public long SimDiskBytes { get; set; } = 1L << 40;

    /// <summary>How long a simulated VM start takes.</summary>
    public TimeSpan SimStartDelay { get; set; } = TimeSpan.Zero;

    /// <summary>How long a simulated VM shutdown takes.</summary>
    public TimeSpan SimStopDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Memory kept for the host itself (the control domain's memory), in bytes.</summary>
    public long ControlDomainMemoryBytes { get; set; } = 512L << 20;

    /// <summary>qemu: <c>auto</c> (KVM only when a time-limited probe boot succeeds, else TCG), <c>kvm</c> or <c>tcg</c>.</summary>
    public string Accelerator { get; set; } = "auto";

    /// <summary>qemu: the emulator binary (a name on PATH or an absolute path).</summary>
    public string QemuBinary { get; set; } = "qemu-system-x86_64";

    /// <summary>qemu: run QEMU, bridges and TAPs inside this network namespace (<c>ip netns</c>); empty for the agent's own.</summary>
    public string NetworkNamespace { get; set; } = "";

    /// <summary>How long a clean shutdown waits for the guest before forcing it off.</summary>
    public TimeSpan CleanShutdownTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public IPEndPoint ListenEndPoint => IPEndPoint.Parse(Listen);

    /// <summary>Returns the problems with these settings, each naming the option; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!IPEndPoint.TryParse(Listen, out var endpoint) || endpoint.Port is < 0 or > 65535)
        {
            problems.Add($"--listen: '{Listen}' is not an address:port such as 127.0.0.1:8080");
        }

        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            problems.Add("--data: a data directory is required");
        }

        if (Backend is not ("sim" or "qemu"))
        {
            problems.Add($"--backend: '{Backend}' is not one of sim, qemu");
        }

        if (Accelerator is not ("auto" or "kvm" or "tcg"))
        {
            problems.Add($"--accelerator: '{Accelerator}' is not one of auto, kvm, tcg");
        }

        if (Backend == "qemu" && string.IsNullOrWhiteSpace(QemuBinary))
        {
            problems.Add("--qemu: the emulator binary must not be empty");
        }

        if (string.IsNullOrEmpty(Password))
        {
            problems.Add("--password: a root password is required (clients log in with it)");
        }

        if (SimCpus < 1)
        {
            problems.Add($"--cpus: {SimCpus} must be at least 1");
        }

        if (SimMemoryBytes <= ControlDomainMemoryBytes)
        {
            problems.Add($"--memory: {SimMemoryBytes} bytes leaves nothing after the {ControlDomainMemoryBytes} bytes kept for the host");
        }

        if (SimDiskBytes < 1)
        {
            problems.Add($"--disk: {SimDiskBytes} must be positive");
        }

        return problems;
    }
}
