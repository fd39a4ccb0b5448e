using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Stratus.Testing;
using Stratus.XenApi;
using Stratus.XenApi.Client;

namespace Stratus.EndToEnd.Tests.HostAgent;

/// <summary>
/// A real <c>stratus host serve --backend qemu --accelerator tcg</c> (TCG: the same on every machine, no probe boot)
/// and the test image, built once per test class with the real <c>stratus image build-test</c>. When the agent runs
/// as root, its bridges and TAPs live in a network namespace of the fixture's own, never on the machine's network.
/// Tests call <see cref="Require"/> first: it skips them where QEMU or the image's inputs are missing, and fails
/// them under <c>CI=true</c>. On dispose every QEMU the agent started is stopped, also after a failed test.
/// </summary>
public sealed partial class QemuAgentFixture : IAsyncLifetime
{
    /// <summary>TCG boots of the test image take seconds on an idle machine; a loaded two-core CI box is slower.</summary>
    public static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(4);

    // Short: <data>/qemu/<uuid>/qmp.sock must fit in a unix socket path (107 bytes).
    private readonly TempDirectory _directory = new("stq");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(5) };
    private string? _unavailable;

    public StratusProcess Agent { get; private set; } = null!;

    public string DataDirectory => _directory.Combine("data");

    /// <summary>The network namespace the agent puts QEMU, bridges and TAPs in; null when not root (user networking).</summary>
    public string? Namespace { get; private set; }

    /// <summary>The test image's qcow2 disk (boots with SeaBIOS from the first disk).</summary>
    public string Qcow2Disk => _directory.Combine("image", "disk.qcow2");

    /// <summary>The disk's virtual size: the raw image's length.</summary>
    public long DiskVirtualSize => new FileInfo(_directory.Combine("image", "disk.raw")).Length;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var (tool, package) in new[] { ("qemu-system-x86_64", "qemu-system-x86"), ("qemu-img", "qemu-utils") })
        {
            if (TestEnvironment.FindExecutable(tool) is null)
            {
                _unavailable = $"{tool} is not installed (apt-get install {package})";
                return;
            }
        }

        var (exit, output) = await Processes.RunAsync("dotnet", [StratusProcess.StratusDll, "image", "build-test", "--out", _directory.Combine("image")], ct);
        if (exit != 0 || !File.Exists(Qcow2Disk))
        {
            _unavailable = $"stratus image build-test failed ({exit}): {output}";
            return;
        }

        if (System.Environment.UserName == "root" && TestEnvironment.FindExecutable("ip") is not null)
        {
            var name = $"stq{Guid.NewGuid():N}"[..12];
            var (added, why) = await Processes.RunAsync("ip", ["netns", "add", name], ct);
            if (added != 0)
            {
                throw new InvalidOperationException($"ip netns add {name} failed: {why}");
            }

            Namespace = name;
        }

        Agent = await StartAgentAsync(ct);
    }

    /// <summary>Skips (or, under CI, fails) the test when the fixture could not set up.</summary>
    public void Require()
    {
        if (_unavailable is null)
        {
            return;
        }

        if (TestEnvironment.IsCi)
        {
            Assert.Fail($"{_unavailable}; CI must install it (.ci/run)");
        }

        Assert.Skip(_unavailable);
    }

    /// <summary>Starts an agent on the fixture's data directory (again, after a kill, to re-adopt).</summary>
    public Task<StratusProcess> StartAgentAsync(CancellationToken cancellationToken, params string[] extra) =>
        HostAgentProcess.StartAsync(DataDirectory, cancellationToken, "qemu", [.. AgentArguments(DataDirectory), .. extra]);

    /// <summary>The qemu-specific arguments for an agent on <paramref name="dataDirectory"/>.</summary>
    public string[] AgentArguments(string dataDirectory) =>
        Namespace is null ? ["--accelerator", "tcg"] : ["--accelerator", "tcg", "--netns", Namespace];

    /// <summary>Replaces the agent: kill -9 the running one (QEMU keeps running), start a new one on the same data.</summary>
    public async Task KillAndRestartAgentAsync(CancellationToken cancellationToken)
    {
        await Agent.KillAsync();
        await Agent.DisposeAsync();
        Agent = await StartAgentAsync(cancellationToken);
    }

    public Task<XenSession> LoginAsync(CancellationToken cancellationToken) => LoginAsync(Agent.Url, cancellationToken);

    public static Task<XenSession> LoginAsync(Uri url, CancellationToken cancellationToken) =>
        XenSession.LoginAsync(new XenApiClient(url, XenTransport.JsonRpc), "root", HostAgentProcess.Password, cancellationToken);

    /// <summary>PUT /import_raw_vdi: streams <paramref name="path"/> into the VDI; returns the HTTP status and body.</summary>
    public Task<(int Status, string Body)> ImportAsync(XenSession s, string vdi, string path, string format, CancellationToken cancellationToken) =>
        ImportAsync(_http, s, vdi, path, format, cancellationToken);

    public static async Task<(int Status, string Body)> ImportAsync(HttpClient http, XenSession s, string vdi, string path, string format, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        using var content = new StreamContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.ContentLength = file.Length;
        var uri = new Uri(s.Client.Server, $"/import_raw_vdi?vdi={Uri.EscapeDataString(vdi)}&session_id={Uri.EscapeDataString(s.Ref)}&format={format}");
        using var response = await http.PutAsync(uri, content, cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>GET /console_log: the last <paramref name="lines"/> lines of the VM's serial console.</summary>
    public async Task<string> ConsoleLogAsync(XenSession s, string vm, int lines, CancellationToken cancellationToken)
    {
        var uri = new Uri(Agent.Url, $"/console_log?vm={Uri.EscapeDataString(vm)}&session_id={Uri.EscapeDataString(s.Ref)}&lines={lines.ToString(CultureInfo.InvariantCulture)}");
        using var response = await _http.GetAsync(uri, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET /console_log: {(int)response.StatusCode} {body}");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return body;
    }

    /// <summary>Polls the console log over HTTP until the test image's banner appears; returns the banner line.</summary>
    public async Task<string> WaitForBannerAsync(XenSession s, string vm, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(BootTimeout);
        var text = "";
        try
        {
            while (true)
            {
                text = await ConsoleLogAsync(s, vm, 50, timeout.Token);
                if (Banner().Match(text) is { Success: true } banner)
                {
                    return banner.Value;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"no banner on VM {vm}'s console within {BootTimeout}; console so far:\n{text}\nagent:\n{Agent.Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Agent is not null)
        {
            await StopEveryVmAsync();
            await Agent.DisposeAsync();
        }

        // Whatever survived (a test that failed half-way with the agent dead): by pid file, if it is QEMU of ours.
        foreach (var pidFile in Directory.Exists(Path.Combine(DataDirectory, "qemu"))
                     ? Directory.EnumerateFiles(Path.Combine(DataDirectory, "qemu"), "qemu.pid", SearchOption.AllDirectories)
                     : [])
        {
            if (int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out var pid)
                && File.Exists($"/proc/{pid}/cmdline")
                && File.ReadAllText($"/proc/{pid}/cmdline").Contains(DataDirectory, StringComparison.Ordinal))
            {
                await Processes.RunAsync("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)], CancellationToken.None);
            }
        }

        if (Namespace is not null)
        {
            await Processes.RunAsync("ip", ["netns", "del", Namespace], CancellationToken.None);
        }

        _http.Dispose();
        _directory.Dispose();
    }

    private async Task StopEveryVmAsync()
    {
        if (Agent.HasExited)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await using var s = await LoginAsync(timeout.Token);
            var vms = (IReadOnlyDictionary<string, object?>)(await s.CallAsync("VM.get_all_records_where", timeout.Token, "field \"power_state\" = \"Running\" and field \"is_control_domain\" = \"false\""))!;
            foreach (var vm in vms.Keys)
            {
                try
                {
                    await s.CallAsync("VM.hard_shutdown", timeout.Token, vm);
                }
                catch (XenApiFailure)
                {
                    // Stopped meanwhile.
                }
            }
        }
        catch (Exception e) when (e is XenApiFailure or HttpRequestException or OperationCanceledException)
        {
            // The pid-file sweep below still stops them.
        }
    }

    [GeneratedRegex(@"stratus-test-image ready: hostname=\S+ addresses=\S+")]
    private static partial Regex Banner();
}
