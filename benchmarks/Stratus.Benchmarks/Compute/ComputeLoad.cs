using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stratus.Cloud;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Compute.Servers;
using Stratus.Cloud.Conductor;
using Stratus.Cloud.Identity;
using Stratus.Cloud.Image;
using Stratus.Cloud.Network;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.OpenStack.Microversions;

namespace Stratus.Benchmarks.Compute;

/// <summary>
/// The compute API's HTTP figures (performance.md): a detailed page of 1,000 servers and all 10,000 of them through
/// the real controller app (Kestrel, SQLite, the token filter, microversions, the views), and GET /servers/{id}
/// throughput with token validation, measured by wrk when it is installed. The network service is an in-memory
/// stand-in, so the figures are the compute API's own; identity is the real one when it is registered.
/// </summary>
internal static class ComputeLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var directory = Path.Combine(Path.GetTempPath(), $"stratus-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var options = new CloudOptions { Listen = "127.0.0.1:0", DataDirectory = directory, AdminPassword = "bench-secret" };
        var network = new BenchNetwork();
        var realIdentity = false;
        await using var app = CloudHost.Build(options, logging => logging.ClearProviders(), services =>
        {
            realIdentity = services.Any(d => d.ServiceType == typeof(ITokenValidator));
            if (!realIdentity)
            {
                services.AddSingleton<ITokenValidator, BenchTokenValidator>();
            }

            services.AddSingleton<INetworkAllocator>(network);
            if (!services.Any(d => d.ServiceType == typeof(IImageCatalog)))
            {
                services.AddSingleton<IImageCatalog, BenchImages>();
            }

            if (!services.Any(d => d.ServiceType == typeof(IConductor)))
            {
                services.AddSingleton<IConductor, BenchConductor>();
            }
        });
        try
        {
            await CloudHost.StartAsync(app, CancellationToken.None);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            options.PublicUrl = address;
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            var token = realIdentity ? await IssueTokenAsync(client, options.AdminPassword) : BenchTokenValidator.Token;
            var projectId = realIdentity ? await ProjectOfAsync(client, token) : "bench-project";
            Console.WriteLine($"identity: {(realIdentity ? "real (tokens issued and validated by the identity service)" : "stand-in (identity not registered in this build)")}");

            var seeding = Stopwatch.StartNew();
            var store = app.Services.GetRequiredService<IInstanceStore>();
            var start = new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
            Guid someId = default;
            for (var i = 0; i < count; i++)
            {
                var instance = BenchServers.Make(i, projectId, start.AddSeconds(i));
                network.Views[instance.Id] = BenchServers.Addresses(i);
                await store.CreateAsync(instance, new InstanceAction(instance.Id, "create", $"req-{instance.Id}", instance.UserId, projectId, start, start, null, []), CancellationToken.None);
                someId = instance.Id;
            }

            Console.WriteLine($"seeded {count} servers in {seeding.Elapsed.TotalSeconds:0.0} s");
            var read = await TimeAsync(() => store.ListAsync(new InstanceQuery { ProjectId = projectId, Limit = 1000 }, CancellationToken.None), warmup: 5, runs: 50);
            Console.WriteLine($"breakdown: IInstanceStore.ListAsync of 1,000 (SQLite + JSON documents): {Summary(read)}");
            var firstPage = await store.ListAsync(new InstanceQuery { ProjectId = projectId, Limit = 1000 }, CancellationToken.None);
            var documents = firstPage.Select(i => JsonSerializer.Serialize(i, InstanceJson.Default.Instance)).ToList();
            var parse = await TimeAsync(() => Task.FromResult(documents.Sum(d => JsonSerializer.Deserialize(d, InstanceJson.Default.Instance)!.Name.Length)), warmup: 5, runs: 50);
            Console.WriteLine($"breakdown: parsing 1,000 instance documents ({documents.Sum(d => d.Length) / 1024} KiB of JSON): {Summary(parse)}");
            var caller = new RequestContext("req-bench", token, "bench-user", "admin", projectId, "admin", ["admin", "member", "reader"], DateTime.MaxValue);
            var loader = app.Services.GetRequiredService<ServerViewLoader>();
            foreach (var version in new[] { new Microversion(2, 1), new Microversion(2, 79) })
            {
                var context = await loader.LoadAsync(caller, version, firstPage, CancellationToken.None);
                var buffer = new ArrayBufferWriter<byte>(4 << 20);
                var write = await TimeAsync(() =>
                {
                    buffer.ResetWrittenCount();
                    using var writer = new Utf8JsonWriter(buffer);
                    writer.WriteStartArray();
                    foreach (var server in firstPage)
                    {
                        ServerView.WriteFull(writer, server, context, ServerViewKind.Detail);
                    }

                    writer.WriteEndArray();
                    return Task.FromResult(buffer.WrittenCount);
                }, warmup: 20, runs: 100);
                Console.WriteLine($"breakdown: writing 1,000 detailed servers at {version} ({buffer.WrittenCount / 1024} KiB): {Summary(write)}");
            }
            client.DefaultRequestHeaders.Add("X-Auth-Token", token);

            foreach (var version in new[] { "2.1", "2.79" })
            {
                client.DefaultRequestHeaders.Remove("X-OpenStack-Nova-API-Version");
                client.DefaultRequestHeaders.Add("X-OpenStack-Nova-API-Version", version);
                var page = await TimeAsync(() => GetPageAsync(client, "/compute/v2.1/servers/detail?limit=1000", 1000), warmup: 10, runs: 100);
                Console.WriteLine($"GET /servers/detail, page of 1,000 at {version}: {Summary(page)}");
                var all = await TimeAsync(() => WalkAsync(client, count), warmup: 2, runs: 20);
                Console.WriteLine($"GET /servers/detail, all {count:N0} (following next links) at {version}: {Summary(all)}");
            }

            client.DefaultRequestHeaders.Remove("X-OpenStack-Nova-API-Version");
            var showUrl = $"{address}/compute/v2.1/servers/{someId:D}";
            var rate = await WrkAsync(showUrl, token) ?? await InProcessRateAsync(client, showUrl);
            Console.WriteLine($"GET /servers/{{id}} with token validation: {rate}");
            return 0;
        }
        finally
        {
            await app.StopAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task GetPageAsync(HttpClient client, string path, int expected)
    {
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseContentRead);
        response.EnsureSuccessStatusCode();
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (bytes.Length < expected * 100)
        {
            throw new InvalidOperationException($"short page: {bytes.Length} bytes");
        }
    }

    /// <summary>
    /// What `nova list --limit -1` does: follow servers_links until a page without one. Only the link (at the end of
    /// the body) is read, so the figure is the server's work and the transfer, not a client's JSON parsing.
    /// </summary>
    private static async Task WalkAsync(HttpClient client, int expected)
    {
        var pages = 0;
        string? next = "/compute/v2.1/servers/detail";
        while (next is not null)
        {
            var body = await client.GetStringAsync(next);
            pages++;
            var at = body.LastIndexOf("\"servers_links\"", StringComparison.Ordinal);
            next = at < 0 ? null : new Uri(JsonNode.Parse("{" + body[at..^1] + "}")!["servers_links"]![0]!["href"]!.GetValue<string>()).PathAndQuery;
        }

        var full = (expected + 999) / 1000;
        if (pages < full || pages > full + 1)
        {
            throw new InvalidOperationException($"walked {pages} pages for {expected} servers");
        }
    }

    private static async Task<Timings> TimeAsync<T>(Func<Task<T>> work, int warmup, int runs) => await TimeAsync(async () => { await work(); }, warmup, runs);

    /// <summary>Wall-clock times of each run, sorted, plus the process's CPU time per run (steadier on a busy machine).</summary>
    private static async Task<Timings> TimeAsync(Func<Task> work, int warmup, int runs)
    {
        for (var i = 0; i < warmup; i++)
        {
            await work();
        }

        var times = new List<double>(runs);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await work();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        var cpuPerRun = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / runs;
        times.Sort();
        return new Timings(times, cpuPerRun);
    }

    private static string Summary(Timings t) => string.Create(CultureInfo.InvariantCulture,
        $"wall min {t.Sorted[0]:0.0} / p50 {Percentile(t.Sorted, 0.50):0.0} / p95 {Percentile(t.Sorted, 0.95):0.0} / max {t.Sorted[^1]:0.0} ms, CPU {t.CpuMs:0.0} ms per run ({t.Sorted.Count} runs)");

    private sealed record Timings(List<double> Sorted, double CpuMs);

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static async Task<string?> WrkAsync(string url, string token)
    {
        var wrk = Environment.GetEnvironmentVariable("PATH")?.Split(':').Select(d => Path.Combine(d, "wrk")).FirstOrDefault(File.Exists);
        if (wrk is null)
        {
            return null;
        }

        var results = new List<string>();
        foreach (var connections in new[] { 16, 64 })
        {
            var info = new ProcessStartInfo(wrk, ["-t2", $"-c{connections}", "-d10s", "--latency", "-H", $"X-Auth-Token: {token}", url]) { RedirectStandardOutput = true };
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            using var process = Process.Start(info)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            var serverCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var lines = output.Split('\n');
            var rps = double.Parse(lines.First(l => l.StartsWith("Requests/sec:", StringComparison.Ordinal)).Split(':')[1].Trim(), CultureInfo.InvariantCulture);
            var total = long.Parse(lines.First(l => l.Contains("requests in", StringComparison.Ordinal)).Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            var p99 = lines.FirstOrDefault(l => l.TrimStart().StartsWith("99%", StringComparison.Ordinal))?.Trim();
            var non2xx = output.Contains("Non-2xx", StringComparison.Ordinal) ? " (NON-2xx responses!)" : "";
            var cpuPerRequest = serverCpu / total * 1e6;
            results.Add(string.Create(CultureInfo.InvariantCulture,
                $"{rps:0} req/s with {connections} connections (wrk -t2, 10 s, latency {p99}), server CPU {cpuPerRequest:0} µs per request = {2e6 / cpuPerRequest:0} req/s on 2 cores{non2xx}"));
        }

        return string.Join("; ", results);
    }

    private static async Task<string> InProcessRateAsync(HttpClient client, string url)
    {
        var stop = DateTime.UtcNow.AddSeconds(10);
        var done = 0;
        var workers = Enumerable.Range(0, 32).Select(async _ =>
        {
            while (DateTime.UtcNow < stop)
            {
                using var response = await client.GetAsync(url);
                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref done);
            }
        });
        await Task.WhenAll(workers);
        return string.Create(CultureInfo.InvariantCulture, $"{done / 10.0:0} req/s (in-process HttpClient, 32 concurrent; install wrk for a fairer figure)");
    }

    private static async Task<string> IssueTokenAsync(HttpClient client, string password)
    {
        var body = new JsonObject
        {
            ["auth"] = new JsonObject
            {
                ["identity"] = new JsonObject
                {
                    ["methods"] = new JsonArray("password"),
                    ["password"] = new JsonObject { ["user"] = new JsonObject { ["name"] = "admin", ["domain"] = new JsonObject { ["id"] = "default" }, ["password"] = password } },
                },
                ["scope"] = new JsonObject { ["project"] = new JsonObject { ["name"] = "admin", ["domain"] = new JsonObject { ["id"] = "default" } } },
            },
        };
        using var response = await client.PostAsJsonAsync("/identity/v3/auth/tokens", body);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("X-Subject-Token").Single();
    }

    private static async Task<string> ProjectOfAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/identity/v3/auth/tokens");
        request.Headers.Add("X-Auth-Token", token);
        request.Headers.Add("X-Subject-Token", token);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body!["token"]!["project"]!["id"]!.GetValue<string>();
    }
}
