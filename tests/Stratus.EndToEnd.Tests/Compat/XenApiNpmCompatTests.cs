using System.Diagnostics;
using System.Text.Json;
using Stratus.EndToEnd.Tests.HostAgent;
using Stratus.Testing;
using Stratus.XenApi.Client;
using static Stratus.EndToEnd.Tests.HostAgent.Api;

namespace Stratus.EndToEnd.Tests.Compat;

/// <summary>
/// A client nobody here wrote: npm xen-api (Xen Orchestra's XenAPI client, pinned in Compat/package.json) connects
/// to the real agent with its own connect sequence (contract §5.1), lists pools, hosts and VMs from its own object
/// cache, and sees a VM's power_state change arrive through its own event.from loop while this test starts the VM.
/// </summary>
public sealed class XenApiNpmCompatTests(AgentFixture agent) : IClassFixture<AgentFixture>
{
    [Theory]
    [InlineData("auto", "POST /jsonrpc")]
    [InlineData("xml-rpc", "POST /xmlrpc")]
    [Trait("Category", "Slow")]
    public async Task XenApiClient_ConnectsListsAndSeesPowerStateChange(string transport, string expectedPost)
    {
        var node = TestEnvironment.Require("node", "npm xen-api needs Node.js >= 18");
        var compat = CompatDirectory();
        if (!Directory.Exists(Path.Combine(compat, "node_modules", "xen-api")))
        {
            const string message = "Compat/node_modules is missing: run 'npm ci' in tests/Stratus.EndToEnd.Tests/Compat (.ci/run does)";
            if (TestEnvironment.IsCi)
            {
                throw new InvalidOperationException(message);
            }

            Assert.Skip(message);
        }

        await using var s = await agent.LoginAsync(XenTransport.JsonRpc, Ct);
        var vm = await s.CreateVm("npm-watched");
        var uuid = (string)(await s.Field("VM", vm, "uuid"))!;

        var info = new ProcessStartInfo(node)
        {
            WorkingDirectory = compat,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "xen-api-compat.mjs", agent.Url.ToString().TrimEnd('/'), "root", HostAgentProcess.Password, uuid, transport })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        var reports = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(Ct) is { } line)
            {
                using var document = JsonDocument.Parse(line);
                var report = document.RootElement.Clone();
                var kind = report.GetProperty("event").GetString()!;
                reports[kind] = report;
                if (kind is "error" or "timeout")
                {
                    Assert.Fail($"xen-api reported {line}\n{await StderrSoFarAsync(process, stderr)}");
                }

                if (kind == "watching")
                {
                    // The client is connected and watching: start the VM through the API, as another client would.
                    await s.Call("VM.start", vm, false, false);
                }
            }

            await process.WaitForExitAsync(Ct);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.True(process.ExitCode == 0, $"node exited {process.ExitCode}: {await stderr}");
        Assert.Equal("connected", reports["connected"].GetProperty("status").GetString());

        var listed = reports["listed"];
        var pool = Assert.Single(listed.GetProperty("pools").EnumerateArray().ToList());
        var host = Assert.Single(listed.GetProperty("hosts").EnumerateArray().ToList());
        Assert.Equal(host.GetProperty("ref").GetString(), pool.GetProperty("master").GetString());
        Assert.Equal("127.0.0.1", host.GetProperty("address").GetString());
        var vms = listed.GetProperty("vms").EnumerateArray().ToList();
        Assert.Contains(vms, v => v.GetProperty("is_control_domain").GetBoolean() && v.GetProperty("power_state").GetString() == "Running");
        Assert.Contains(vms, v => v.GetProperty("uuid").GetString() == uuid && v.GetProperty("power_state").GetString() == "Halted");
        var types = listed.GetProperty("types").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Superset(new HashSet<string?> { "VM", "host", "pool", "SR", "network" }, types.ToHashSet());

        var change = reports["power_state"];
        Assert.Equal("Halted", change.GetProperty("from").GetString());
        Assert.Equal("Running", change.GetProperty("to").GetString());
        Assert.Equal(uuid, change.GetProperty("uuid").GetString());

        // "auto" settles on JSON-RPC (the agent's content type is exactly application/json) and never falls back.
        Assert.Equal([expectedPost], reports["posts"].GetProperty("posts").EnumerateArray().Select(p => p.GetString()).ToList());
        // No noise from the client: session.* listing errors and the like show up on stderr.
        Assert.DoesNotContain("Error", await stderr, StringComparison.Ordinal);
    }

    private static async Task<string> StderrSoFarAsync(Process process, Task<string> stderr)
    {
        process.Kill(entireProcessTree: true);
        return await stderr;
    }

    private static string CompatDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Stratus.slnx")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Stratus.slnx not found"), "tests", "Stratus.EndToEnd.Tests", "Compat");
    }
}
