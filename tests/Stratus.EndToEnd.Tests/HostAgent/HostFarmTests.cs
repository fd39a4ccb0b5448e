using System.Text.RegularExpressions;
using Stratus.Testing;
using Stratus.XenApi.Client;
using static Stratus.EndToEnd.Tests.HostAgent.Api;

namespace Stratus.EndToEnd.Tests.HostAgent;

/// <summary><c>stratus host serve --count N</c>: hundreds of independent simulated hosts in one process.</summary>
public sealed partial class HostFarmTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task Count200_EveryHostAnswersOnItsOwnPortWithItsOwnIdentity()
    {
        const int hosts = 200;
        using var data = new TempDirectory();
        await using var farm = await HostAgentProcess.StartAsync(data.Path, Ct, "sim", "--count", hosts.ToString(System.Globalization.CultureInfo.InvariantCulture), "--name", "farm", "--cpus", "4", "--memory", "8GiB");
        var lines = await farm.WaitForLinesAsync(HostAgentProcess.ReadyPrefix, hosts, Ct);
        var urls = lines.Select(l => new Uri(UrlPattern().Match(l).Value)).ToList();
        Assert.Equal(hosts, urls.Select(u => u.Port).Distinct().Count());

        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        await Parallel.ForEachAsync(urls.Select((url, index) => (url, index)), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (host, ct) =>
        {
            using var client = new XenApiClient(host.url, host.index % 2 == 0 ? XenTransport.JsonRpc : XenTransport.XmlRpc);
            await using var s = await XenSession.LoginAsync(client, "root", HostAgentProcess.Password, ct);
            var record = Map(Assert.Single(Map(await s.CallAsync("host.get_all_records", ct))).Value);
            Assert.Equal($"farm-{host.index}", record["name_label"]);
            Assert.Equal(4, List(record["host_CPUs"]).Count);
            seen[(string)record["uuid"]!] = host.url.ToString();
        });
        Assert.Equal(hosts, seen.Count);
        Assert.True(Directory.Exists(Path.Combine(data.Path, "host-199")));

        // The hosts are independent: a VM started on one uses only that host's memory.
        using var first = new XenApiClient(urls[0], XenTransport.JsonRpc);
        await using var a = await XenSession.LoginAsync(first, "root", HostAgentProcess.Password, Ct);
        var vm = await a.CreateVm("on-host-0", 4 * GiB);
        await a.Call("VM.start", vm, false, false);
        using var second = new XenApiClient(urls[1], XenTransport.JsonRpc);
        await using var b = await XenSession.LoginAsync(second, "root", HostAgentProcess.Password, Ct);
        Assert.Equal("HANDLE_INVALID", (await b.Fails("VM.get_record", vm)).Code);
        var hostB = (string)List(await b.Call("host.get_all"))[0]!;
        var hostA = (string)List(await a.Call("host.get_all"))[0]!;
        Assert.Equal((8 * GiB) - (512L << 20), Int(await b.Call("host.compute_free_memory", hostB)));
        Assert.Equal((4 * GiB) - (512L << 20), Int(await a.Call("host.compute_free_memory", hostA)));

        // The HTTP handlers beside the XenAPI answer per host too (the controller's console-output and image import).
        using var http = new HttpClient();
        using var log = await http.GetAsync(new Uri(urls[0], $"console_log?vm={vm}&session_id={a.Ref}"), Ct);
        using var elsewhere = await http.GetAsync(new Uri(urls[1], $"console_log?vm={vm}&session_id={b.Ref}"), Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, log.StatusCode);
        Assert.Contains("on-host-0", await log.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Count_WithQemuBackend_IsAUsageError()
    {
        using var data = new TempDirectory();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => HostAgentProcess.StartAsync(data.Path, Ct, "qemu", "--count", "2"));
        Assert.Contains("--count: only the sim backend", error.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"https?://[^\s)]+")]
    private static partial Regex UrlPattern();
}
