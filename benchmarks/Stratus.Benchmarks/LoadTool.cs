using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Stratus.Testing;
using Stratus.XenApi.Client;

namespace Stratus.Benchmarks;

/// <summary>
/// The host agent's end-to-end figures (performance.md targets): VM.get_all_records with 1,000 VMs over XML-RPC
/// and JSON-RPC, the delay from a change committed by one client to its delivery to another client blocked in
/// event.from, and the agent's RSS idle and with 1,000 VMs. The agent is the real stratus program on loopback.
/// </summary>
internal static class LoadTool
{
    private const int Vms = 1000;
    private const int Warmup = 20;

    public static async Task<int> RunAsync(int runs, TextWriter output, CancellationToken cancellationToken)
    {
        using var data = new TempDirectory("stratus-bench");
        await using var agent = await HostAgentProcess.StartAsync(data.Path, cancellationToken, "sim", "--memory", "4TiB", "--cpus", "64");
        output.WriteLine($"agent {agent.Url} pid {agent.Id}, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}, {runs} runs after {Warmup} warm-up");
        using var json = new XenApiClient(agent.Url, XenTransport.JsonRpc);
        await using var session = await XenSession.LoginAsync(json, "root", HostAgentProcess.Password, cancellationToken);

        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        output.WriteLine($"RSS idle: {Rss(agent.Id)} MiB");

        var vms = new List<string>();
        for (var i = 0; i < Vms; i++)
        {
            vms.Add((string)(await session.CallAsync("VM.create", cancellationToken, Record(i)))!);
        }

        // A few hundred running, as a busy host would have.
        foreach (var vm in vms.Take(300))
        {
            await session.CallAsync("VM.start", cancellationToken, vm, false, false);
        }

        using var http = new HttpClient();
        var cpu = CpuMilliseconds(agent.Id);
        var xml = await MeasureAsync(http, agent.Url, "/", "text/xml",
            $"<?xml version=\"1.0\"?><methodCall><methodName>VM.get_all_records</methodName><params><param><value>{session.Ref}</value></param></params></methodCall>",
            runs, cancellationToken);
        var xmlCpu = (CpuMilliseconds(agent.Id) - cpu) / (Warmup + runs);
        cpu = CpuMilliseconds(agent.Id);
        var jsonRpc = await MeasureAsync(http, agent.Url, "/jsonrpc", "application/json",
            $"{{\"jsonrpc\":\"2.0\",\"method\":\"VM.get_all_records\",\"params\":[\"{session.Ref}\"],\"id\":1}}", runs, cancellationToken);
        var jsonCpu = (CpuMilliseconds(agent.Id) - cpu) / (Warmup + runs);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"VM.get_all_records, {Vms + 2} VMs, XML-RPC  ({xml.Bytes / 1024} KiB): {xml.Stats}; agent CPU {xmlCpu:F1} ms/call"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"VM.get_all_records, {Vms + 2} VMs, JSON-RPC ({jsonRpc.Bytes / 1024} KiB): {jsonRpc.Stats}; agent CPU {jsonCpu:F1} ms/call"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"XML-RPC / JSON-RPC median ratio: {xml.Stats.Median / jsonRpc.Stats.Median:F2}"));

        var events = await MeasureEventsAsync(agent.Url, vms, runs, cancellationToken);
        output.WriteLine($"event.from delivery (change sent by one client -> batch received by another): {events}");
        output.WriteLine($"RSS with {Vms} VMs: {Rss(agent.Id)} MiB");
        return 0;
    }

    private static Dictionary<string, object?> Record(int i) => new()
    {
        ["name_label"] = $"bench-{i:D4}",
        ["name_description"] = "a VM of the benchmark",
        ["memory_static_min"] = 256L << 20,
        ["memory_dynamic_min"] = 1L << 30,
        ["memory_dynamic_max"] = 1L << 30,
        ["memory_static_max"] = 1L << 30,
        ["VCPUs_max"] = 2L,
        ["VCPUs_at_startup"] = 2L,
        ["HVM_boot_policy"] = "BIOS order",
        ["HVM_boot_params"] = new Dictionary<string, object?> { ["order"] = "dc" },
        ["platform"] = new Dictionary<string, object?> { ["acpi"] = "1", ["apic"] = "true", ["nx"] = "true" },
        ["other_config"] = new Dictionary<string, object?> { ["nova_uuid"] = Guid.NewGuid().ToString() },
        ["xenstore_data"] = new Dictionary<string, object?> { ["vm-data/hostname"] = $"bench-{i}" },
    };

    /// <summary>Posts a prebuilt body and reads the whole reply: server work plus loopback transfer.</summary>
    private static async Task<(Stats Stats, long Bytes)> MeasureAsync(HttpClient http, Uri agent, string path, string contentType, string body, int runs, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var samples = new List<double>(runs);
        long size = 0;
        for (var i = 0; i < Warmup + runs; i++)
        {
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PostAsync(new Uri(agent, path), content, cancellationToken);
            var reply = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (reply.Length < 100_000 || !Encoding.UTF8.GetString(reply, 0, 200).Contains("OpaqueRef", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("unexpected reply: " + Encoding.UTF8.GetString(reply, 0, Math.Min(reply.Length, 300)));
            }

            size = reply.Length;
            if (i >= Warmup)
            {
                samples.Add(elapsed);
            }
        }

        return (Stats.Of(samples), size);
    }

    private static async Task<Stats> MeasureEventsAsync(Uri agent, List<string> vms, int runs, CancellationToken cancellationToken)
    {
        using var watcherClient = new XenApiClient(agent, XenTransport.JsonRpc);
        using var actorClient = new XenApiClient(agent, XenTransport.JsonRpc);
        await using var watcher = await XenSession.LoginAsync(watcherClient, "root", HostAgentProcess.Password, cancellationToken);
        await using var actor = await XenSession.LoginAsync(actorClient, "root", HostAgentProcess.Password, cancellationToken);
        var token = (string)((IReadOnlyDictionary<string, object?>)(await watcher.CallAsync("event.from", cancellationToken, new object?[] { "vm" }, "", 0.0))!)["token"]!;
        var samples = new List<double>(runs);
        for (var i = 0; i < Warmup + runs; i++)
        {
            var vm = vms[i % vms.Count];
            var blocked = watcher.CallAsync("event.from", cancellationToken, new object?[] { "vm" }, token, 30.0);
            // Let the watcher's call reach the agent and block there before the change is made.
            await Task.Delay(5, cancellationToken);
            if (blocked.IsCompleted)
            {
                throw new InvalidOperationException("event.from returned before any change");
            }

            var started = Stopwatch.GetTimestamp();
            await actor.CallAsync("VM.set_name_description", cancellationToken, vm, $"change {i}");
            var batch = (IReadOnlyDictionary<string, object?>)(await blocked)!;
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            token = (string)batch["token"]!;
            if (i >= Warmup)
            {
                samples.Add(elapsed);
            }
        }

        return Stats.Of(samples);
    }

    /// <summary>User plus system CPU time the process has used (/proc/&lt;pid&gt;/stat utime + stime), in ms.</summary>
    public static double CpuMilliseconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 and 15 of stat(5), counted after the command name: utime, stime in clock ticks (USER_HZ = 100).
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    /// <summary>The agent's resident set (VmRSS in /proc/&lt;pid&gt;/status), in MiB.</summary>
    public static long Rss(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
