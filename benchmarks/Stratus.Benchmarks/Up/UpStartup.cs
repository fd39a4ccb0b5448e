using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Stratus.Testing;

namespace Stratus.Benchmarks.Up;

/// <summary>
/// <c>stratus up</c>'s figures (performance.md, "Set-up" and "Control-plane memory"): on an existing data directory,
/// the time from starting <c>stratus up</c> until every API answers (Keystone, Nova, Glance, Neutron version
/// documents and the host agent's XenAPI) and until up prints its ready line (bootstrap checked, nothing created);
/// then the summed RSS of everything up started, idle. Runs the built stratus apphost as users do (sim backend).
/// </summary>
internal static class UpStartup
{
    private static readonly string[] ApiPaths = ["identity/v3", "compute/v2.1/", "image/versions", "networking/"];

    public static async Task<int> RunAsync(int runs, TextWriter output, CancellationToken cancellationToken)
    {
        var stratus = Path.ChangeExtension(StratusProcess.StratusDll, null);
        if (!File.Exists(stratus))
        {
            stratus = StratusProcess.StratusDll;
        }

        using var directory = new TempDirectory("stratus-up-bench");
        var data = directory.Combine("data");
        var port = FreePortPair();
        string[] arguments = ["up", "--backend", "sim", "--data", data, "--listen", $"127.0.0.1:{port}"];
        output.WriteLine($"stratus up benchmark: {stratus}, {Environment.ProcessorCount} CPUs, load average {File.ReadAllText("/proc/loadavg").Trim()}, data {data}");

        // The first run builds the test image and bootstraps; it is not what is measured.
        var watch = Stopwatch.StartNew();
        await using (var first = await UpProcess.StartAsync(stratus, arguments, cancellationToken))
        {
            await first.ReadyAsync(cancellationToken);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first run (image build, bootstrap): {watch.Elapsed.TotalSeconds:F1} s"));
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var apis = new List<double>();
        var ready = new List<double>();
        var cpu = new List<double>();
        long idleRss = 0;
        var perProcess = "";
        for (var run = 0; run < runs; run++)
        {
            watch.Restart();
            await using var up = await UpProcess.StartAsync(stratus, arguments, cancellationToken);
            await WaitForApisAsync(http, port, cancellationToken);
            apis.Add(watch.Elapsed.TotalMilliseconds);
            cpu.Add(CpuMilliseconds(up.Pid));
            await up.ReadyAsync(cancellationToken);
            ready.Add(watch.Elapsed.TotalMilliseconds);
            if (run == runs - 1)
            {
                // Idle: give the services their heartbeats and the GC a quiet moment, then sum what up started.
                await Task.Delay(TimeSpan.FromSeconds(15), cancellationToken);
                (idleRss, perProcess) = Rss(up.Pid);
            }
        }

        output.WriteLine($"every API answers: {Stats.Of(apis)}");
        output.WriteLine($"CPU time of up and its children until then (user+sys, less sensitive to a busy machine): {Stats.Of(cpu)}");
        output.WriteLine($"ready line (bootstrap verified): {Stats.Of(ready)}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"idle summed RSS: {idleRss / 1024.0 / 1024.0:F1} MiB ({perProcess})"));
        return 0;
    }

    private static async Task WaitForApisAsync(HttpClient http, int port, CancellationToken cancellationToken)
    {
        var pending = ApiPaths.Select(p => $"http://127.0.0.1:{port}/{p}").Append($"http://127.0.0.1:{port + 1}/").ToList();
        while (pending.Count > 0)
        {
            var answered = new List<string>();
            foreach (var url in pending)
            {
                try
                {
                    // The host agent answers GET / with an error status; any HTTP answer there means it is serving.
                    using var response = await http.GetAsync(url, cancellationToken);
                    if (response.IsSuccessStatusCode || url.EndsWith($":{port + 1}/", StringComparison.Ordinal))
                    {
                        answered.Add(url);
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Listening, but the first answer takes longer than the client's timeout (a busy machine): ask again.
                }
            }

            pending.RemoveAll(answered.Contains);
            if (pending.Count > 0)
            {
                await Task.Delay(5, cancellationToken);
            }
        }
    }

    /// <summary>user+sys CPU time of a process and its descendants so far (/proc/PID/stat utime, stime; 100 ticks a second).</summary>
    private static double CpuMilliseconds(int root)
    {
        double total = 0;
        foreach (var pid in Tree(root))
        {
            if (TryRead($"/proc/{pid}/stat") is { } stat)
            {
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                total += (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
            }
        }

        return total;
    }

    private static List<int> Tree(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), out var pid) && TryRead(Path.Combine(entry, "stat")) is { } stat)
            {
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
        }

        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        }

        return tree;
    }

    /// <summary>VmRSS of a process and all its descendants, from /proc.</summary>
    private static (long Bytes, string PerProcess) Rss(int root)
    {
        long total = 0;
        var parts = new List<string>();
        foreach (var pid in Tree(root))
        {
            var status = TryRead($"/proc/{pid}/status");
            var line = status?.Split('\n').FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            if (line is null)
            {
                continue;
            }

            var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            total += kb * 1024;
            var command = (TryRead($"/proc/{pid}/cmdline") ?? "").Split('\0').SkipWhile(a => !a.EndsWith("stratus", StringComparison.Ordinal) && !a.EndsWith("stratus.dll", StringComparison.Ordinal)).Skip(1).Take(2);
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{string.Join(' ', command)} {kb / 1024.0:F1} MiB"));
        }

        return (total, string.Join(", ", parts));
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int FreePortPair()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var first = new TcpListener(IPAddress.Loopback, 0);
            first.Start();
            var port = ((IPEndPoint)first.LocalEndpoint).Port;
            try
            {
                using var second = new TcpListener(IPAddress.Loopback, port + 1);
                second.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another pair.
            }
        }

        throw new InvalidOperationException("no two consecutive free ports on 127.0.0.1");
    }
}
