using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Stratus.Host.Bootstrap;

/// <summary>What the host record reports about the machine: name, address, CPUs and RAM (configured for sim, probed for qemu).</summary>
internal sealed record HostFacts(string HostName, string Address, string Mac, int Cpus, long MemoryBytes, IReadOnlyDictionary<string, object?> CpuInfo)
{
    public static HostFacts For(HostAgentOptions options)
    {
        var name = options.HostName.Length > 0 ? options.HostName : Dns.GetHostName();
        var address = ListenAddress(options);
        if (options.Backend == "sim")
        {
            return new HostFacts(name, address, "02:00:00:00:00:01", options.SimCpus, options.SimMemoryBytes, DescribeCpu(options.SimCpus, "Stratus", "Simulated CPU", "0", "0", "0", "", "2000.000"));
        }

        var cpu = ReadCpuInfo();
        var cpus = Environment.ProcessorCount;
        return new HostFacts(name, address, PrimaryMac(), cpus, ReadMemTotal(),
            DescribeCpu(cpus, cpu.GetValueOrDefault("vendor_id", ""), cpu.GetValueOrDefault("model name", ""), cpu.GetValueOrDefault("cpu family", ""),
                cpu.GetValueOrDefault("model", ""), cpu.GetValueOrDefault("stepping", ""), cpu.GetValueOrDefault("flags", ""), cpu.GetValueOrDefault("cpu MHz", "")));
    }

    /// <summary>host.cpu_info keys nova parses (datamodel_host.ml).</summary>
    private static Dictionary<string, object?> DescribeCpu(int cpus, string vendor, string model, string family, string modelNumber, string stepping, string flags, string speed) => new()
    {
        ["cpu_count"] = cpus.ToString(CultureInfo.InvariantCulture),
        ["socket_count"] = "1",
        ["vendor"] = vendor,
        ["speed"] = speed,
        ["modelname"] = model,
        ["family"] = family,
        ["model"] = modelNumber,
        ["stepping"] = stepping,
        ["flags"] = flags,
        ["features"] = "",
        ["features_after_reboot"] = "",
        ["physical_features"] = "",
        ["maskable"] = "no",
    };

    private static string ListenAddress(HostAgentOptions options)
    {
        var endpoint = options.ListenEndPoint;
        if (!endpoint.Address.Equals(IPAddress.Any) && !endpoint.Address.Equals(IPAddress.IPv6Any))
        {
            return endpoint.Address.ToString();
        }

        return NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)?.ToString() ?? "127.0.0.1";
    }

    private static string PrimaryMac()
    {
        var nic = NetworkInterface.GetAllNetworkInterfaces()
            .FirstOrDefault(n => n.NetworkInterfaceType != NetworkInterfaceType.Loopback && n.GetPhysicalAddress().GetAddressBytes().Length == 6);
        return nic is null
            ? "02:00:00:00:00:01"
            : string.Join(':', nic.GetPhysicalAddress().GetAddressBytes().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    private static Dictionary<string, string> ReadCpuInfo()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists("/proc/cpuinfo"))
        {
            return values;
        }

        // The first processor block describes them all on the machines we run on.
        foreach (var line in File.ReadLines("/proc/cpuinfo").TakeWhile(l => l.Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                values[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return values;
    }

    private static long ReadMemTotal()
    {
        if (File.Exists("/proc/meminfo"))
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is { Length: >= 2 } && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var kib))
            {
                return kib * 1024;
            }
        }

        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }
}
