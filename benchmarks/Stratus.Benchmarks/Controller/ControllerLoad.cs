using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Stratus.Testing;

namespace Stratus.Benchmarks.Controller;

/// <summary>
/// The controller's end-to-end figures (performance.md): a real <c>stratus cloud serve</c> process managing a farm
/// of real sim hosts (<c>stratus host serve --count N</c>, one process, one XenAPI listener per host), everything
/// through the public APIs: boot servers at concurrency 50 and time each from its POST to the first GET that shows
/// it ACTIVE; boot+delete cycles per second; GET /servers/detail once the cloud holds the requested number of
/// servers; the controller's RSS idle and loaded.
/// </summary>
/// <remarks>
/// A server's boot time is observed by polling GET /servers/{id}, waiting a twentieth of the time elapsed so far
/// between polls (2 ms to 250 ms), so a figure is at most about 5 % late. The polls are API requests the controller
/// serves too, and count in its CPU per boot.
/// </remarks>
internal static partial class ControllerLoad
{
    private static int Concurrency = 50;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2)
        {
            await Console.Error.WriteLineAsync("usage: controller-load HOSTS BOOTS [CYCLES] [SERVERS-FOR-LIST] [CONCURRENCY]");
            return 2;
        }

        var hosts = Parse(args[0]);
        var boots = Parse(args[1]);
        var cycles = args.Length > 2 ? Parse(args[2]) : boots;
        var listed = args.Length > 3 ? Parse(args[3]) : 0;
        Concurrency = args.Length > 4 ? Parse(args[4]) : 50;
        var ct = CancellationToken.None;
        using var data = new TempDirectory("stratus-bench-ctl");
        var output = Console.Out;
        output.WriteLine($"{Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}; {hosts} sim hosts, {boots} boots, {cycles} boot+delete cycles, concurrency {Concurrency}");

        var watch = Stopwatch.StartNew();
        // Hosts big enough that RAM never decides: 10,000 servers of 128 MB spread over 100 hosts is 12.5 GiB each.
        await using var farm = await HostAgentProcess.StartAsync(data.Combine("farm"), ct, "sim", "--count", hosts.ToString(CultureInfo.InvariantCulture), "--name", "sim",
            "--cpus", "64", "--memory", "256GiB", "--disk", "16TiB");
        var urls = (await farm.WaitForLinesAsync(HostAgentProcess.ReadyPrefix, hosts, ct)).Select(l => new Uri(UrlPattern().Match(l).Value)).ToList();
        output.WriteLine($"farm of {hosts} hosts ready in {watch.Elapsed.TotalSeconds:0.0} s, RSS {LoadTool.Rss(farm.Id)} MiB");

        watch.Restart();
        await using var cloud = await CloudProcess.StartAsync(data.Path, urls, ct);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = cloud.Url, Timeout = TimeSpan.FromMinutes(5) };
        var token = await IssueTokenAsync(http, ct);
        http.DefaultRequestHeaders.Add("X-Auth-Token", token.Token);
        await WaitForComputeServicesAsync(http, hosts, ct);
        output.WriteLine($"controller up with {hosts} compute services in {watch.Elapsed.TotalSeconds:0.0} s");

        var setup = await SetUpAsync(http, token.ProjectId, ct);
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        output.WriteLine($"controller RSS idle ({hosts} hosts, flavor, image, network): {LoadTool.Rss(cloud.Id)} MiB");

        // Warm-up: JIT, connection pool, the image's first copy into a few hosts' SRs.
        await BootManyAsync(http, setup, Concurrency, "warm", ct);
        var cpu = LoadTool.CpuMilliseconds(cloud.Id);
        var farmCpu = LoadTool.CpuMilliseconds(farm.Id);
        watch.Restart();
        var latencies = await BootManyAsync(http, setup, boots, "boot", ct);
        var elapsed = watch.Elapsed.TotalSeconds;
        var cpuPerBoot = (LoadTool.CpuMilliseconds(cloud.Id) - cpu) / boots;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"boot {boots} servers, concurrency {Concurrency}, API -> ACTIVE: {Stats.Of(latencies)}; {boots / elapsed:F1} boots/s; controller CPU {cpuPerBoot:F1} ms per boot (incl. its polls), host farm CPU {(LoadTool.CpuMilliseconds(farm.Id) - farmCpu) / boots:F1} ms per boot"));
        output.WriteLine($"controller RSS after {boots + Concurrency} servers: {LoadTool.Rss(cloud.Id)} MiB");

        cpu = LoadTool.CpuMilliseconds(cloud.Id);
        farmCpu = LoadTool.CpuMilliseconds(farm.Id);
        watch.Restart();
        var cycleTimes = await CycleAsync(http, setup, cycles, ct);
        elapsed = watch.Elapsed.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"boot+delete {cycles} cycles, concurrency {Concurrency}: {cycles / elapsed:F1} per second; one cycle {Stats.Of(cycleTimes)}; controller CPU {(LoadTool.CpuMilliseconds(cloud.Id) - cpu) / cycles:F1} ms per cycle, host farm CPU {(LoadTool.CpuMilliseconds(farm.Id) - farmCpu) / cycles:F1} ms per cycle"));

        if (listed > 0)
        {
            var have = boots + Concurrency;
            if (listed > have)
            {
                watch.Restart();
                await BootManyAsync(http, setup, listed - have, "fill", ct);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"booted {listed - have} more servers to {listed} in {watch.Elapsed.TotalSeconds:F0} s"));
            }

            await ListAsync(http, listed, output, ct);
            output.WriteLine($"controller RSS with {Math.Max(listed, have)} servers, after the list runs: {LoadTool.Rss(cloud.Id)} MiB");
        }

        output.WriteLine($"host farm RSS at the end: {LoadTool.Rss(farm.Id)} MiB");
        return 0;
    }

    private sealed record Setup(string FlavorId, string ImageId, string NetworkId);

    private sealed record TokenInfo(string Token, string ProjectId);

    private static async Task<Setup> SetUpAsync(HttpClient http, string projectId, CancellationToken ct)
    {
        await SendAsync(http, HttpMethod.Put, $"/compute/v2.1/os-quota-sets/{projectId}", new JsonObject { ["quota_set"] = new JsonObject { ["instances"] = -1, ["cores"] = -1, ["ram"] = -1 } }, ct);
        var flavor = await SendAsync(http, HttpMethod.Post, "/compute/v2.1/flavors", new JsonObject { ["flavor"] = new JsonObject { ["name"] = "m1.nano", ["id"] = "42", ["ram"] = 128, ["vcpus"] = 1, ["disk"] = 1 } }, ct);
        var image = await SendAsync(http, HttpMethod.Post, "/image/v2/images", new JsonObject { ["name"] = "bench", ["disk_format"] = "raw", ["container_format"] = "bare", ["visibility"] = "public" }, ct);
        var imageId = image["id"]!.GetValue<string>();
        using (var content = new ByteArrayContent(new byte[1 << 20]))
        {
            content.Headers.ContentType = new("application/octet-stream");
            using var upload = await http.PutAsync($"/image/v2/images/{imageId}/file", content, ct);
            upload.EnsureSuccessStatusCode();
        }

        var network = await SendAsync(http, HttpMethod.Post, "/networking/v2.0/networks", new JsonObject { ["network"] = new JsonObject { ["name"] = "bench" } }, ct);
        var networkId = network["network"]!["id"]!.GetValue<string>();
        await SendAsync(http, HttpMethod.Post, "/networking/v2.0/subnets", new JsonObject { ["subnet"] = new JsonObject { ["network_id"] = networkId, ["ip_version"] = 4, ["cidr"] = "10.0.0.0/16", ["name"] = "bench-subnet" } }, ct);
        return new Setup(flavor["flavor"]!["id"]!.GetValue<string>(), imageId, networkId);
    }

    /// <summary>Boots <paramref name="count"/> servers, at most 50 in flight; returns each one's API → ACTIVE time in ms.</summary>
    private static async Task<List<double>> BootManyAsync(HttpClient http, Setup setup, int count, string prefix, CancellationToken ct)
    {
        var times = new List<double>(count);
        var next = -1;
        await Parallel.ForEachAsync(Enumerable.Range(0, Concurrency), new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct }, async (_, token) =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var (_, ms) = await BootAsync(http, setup, $"{prefix}-{i}", token);
                lock (times)
                {
                    times.Add(ms);
                }
            }
        });
        return times;
    }

    private static async Task<(string Id, double Ms)> BootAsync(HttpClient http, Setup setup, string name, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var body = new JsonObject
        {
            ["server"] = new JsonObject
            {
                ["name"] = name,
                ["flavorRef"] = setup.FlavorId,
                ["imageRef"] = setup.ImageId,
                ["networks"] = new JsonArray(new JsonObject { ["uuid"] = setup.NetworkId }),
            },
        };
        var created = await SendAsync(http, HttpMethod.Post, "/compute/v2.1/servers", body, ct);
        var id = created["server"]!["id"]!.GetValue<string>();
        while (true)
        {
            var status = await StatusAsync(http, id, ct);
            if (status == "ACTIVE")
            {
                return (id, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            if (status is "ERROR" or null)
            {
                var shown = status is null ? "" : await http.GetStringAsync($"/compute/v2.1/servers/{id}", ct);
                throw new InvalidOperationException($"server {name} ({id}) ended {status ?? "deleted"}: {shown}");
            }

            await Task.Delay(PollDelay(started), ct);
        }
    }

    private static async Task<List<double>> CycleAsync(HttpClient http, Setup setup, int count, CancellationToken ct)
    {
        var times = new List<double>(count);
        var next = -1;
        await Parallel.ForEachAsync(Enumerable.Range(0, Concurrency), new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct }, async (_, token) =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                var (id, _) = await BootAsync(http, setup, $"cycle-{i}", token);
                using (var deleted = await http.DeleteAsync($"/compute/v2.1/servers/{id}", token))
                {
                    deleted.EnsureSuccessStatusCode();
                }

                while (await StatusAsync(http, id, token) is not null)
                {
                    await Task.Delay(PollDelay(started), token);
                }

                lock (times)
                {
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        });
        return times;
    }

    /// <summary>The server's status, or null once it is gone (404).</summary>
    private static async Task<string?> StatusAsync(HttpClient http, string id, CancellationToken ct)
    {
        using var response = await http.GetAsync($"/compute/v2.1/servers/{id}", ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
        return body!["server"]!["status"]!.GetValue<string>();
    }

    private static async Task ListAsync(HttpClient http, int expected, TextWriter output, CancellationToken ct)
    {
        foreach (var version in new[] { "2.1", "2.79" })
        {
            var page = new List<double>();
            var all = new List<double>();
            for (var run = 0; run < 25; run++)
            {
                var started = Stopwatch.GetTimestamp();
                var (count, _) = await GetPageAsync(http, "/compute/v2.1/servers/detail?limit=1000", version, ct);
                if (count != 1000)
                {
                    throw new InvalidOperationException($"page of {count}");
                }

                if (run >= 5)
                {
                    page.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }

            for (var run = 0; run < 12; run++)
            {
                var started = Stopwatch.GetTimestamp();
                var total = 0;
                string? next = "/compute/v2.1/servers/detail";
                while (next is not null)
                {
                    (var count, next) = await GetPageAsync(http, next, version, ct);
                    total += count;
                }

                if (total < expected)
                {
                    throw new InvalidOperationException($"walked {total} servers, expected at least {expected}");
                }

                if (run >= 2)
                {
                    all.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GET /servers/detail?limit=1000 at {version}: {Stats.Of(page)}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GET /servers/detail, all {expected:N0} following next links at {version}: {Stats.Of(all)}"));
        }
    }

    /// <summary>One page, parsed whole (as a client would): the number of servers and the next link's path.</summary>
    private static async Task<(int Count, string? Next)> GetPageAsync(HttpClient http, string path, string version, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-OpenStack-Nova-API-Version", version);
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!;
        var next = body["servers_links"]?.AsArray().FirstOrDefault(l => l!["rel"]!.GetValue<string>() == "next")?["href"]?.GetValue<string>();
        return (body["servers"]!.AsArray().Count, next is null ? null : new Uri(next).PathAndQuery);
    }

    private static async Task<JsonObject> SendAsync(HttpClient http, HttpMethod method, string path, JsonObject body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        }

        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<TokenInfo> IssueTokenAsync(HttpClient http, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["auth"] = new JsonObject
            {
                ["identity"] = new JsonObject
                {
                    ["methods"] = new JsonArray("password"),
                    ["password"] = new JsonObject { ["user"] = new JsonObject { ["name"] = "admin", ["domain"] = new JsonObject { ["id"] = "default" }, ["password"] = CloudProcess.AdminPassword } },
                },
                ["scope"] = new JsonObject { ["project"] = new JsonObject { ["name"] = "admin", ["domain"] = new JsonObject { ["id"] = "default" } } },
            },
        };
        using var response = await http.PostAsJsonAsync("/identity/v3/auth/tokens", body, ct);
        response.EnsureSuccessStatusCode();
        var token = response.Headers.GetValues("X-Subject-Token").Single();
        var document = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
        return new TokenInfo(token, document!["token"]!["project"]!["id"]!.GetValue<string>());
    }

    private static async Task WaitForComputeServicesAsync(HttpClient http, int hosts, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        while (true)
        {
            var services = (await http.GetFromJsonAsync<JsonObject>("/compute/v2.1/os-services?binary=nova-compute", timeout.Token))!["services"]!.AsArray();
            if (services.Count(s => s!["state"]!.GetValue<string>() == "up") >= hosts)
            {
                return;
            }

            await Task.Delay(500, timeout.Token);
        }
    }

    /// <summary>A twentieth of the time waited so far, between 2 and 250 ms: each figure is at most ~5 % late, and slow boots do not flood the API with polls.</summary>
    private static TimeSpan PollDelay(long started) => TimeSpan.FromMilliseconds(Math.Clamp(Stopwatch.GetElapsedTime(started).TotalMilliseconds / 20, 2, 250));

    private static int Parse(string value) => int.Parse(value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"https?://[^\s)]+")]
    private static partial Regex UrlPattern();
}
