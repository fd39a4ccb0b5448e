using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stratus.Benchmarks.VmBoot;
using Stratus.Host;
using Stratus.Host.Backends;
using Stratus.Host.Backends.Qemu;
using Stratus.Host.Images;
using Stratus.Host.Processes;
using Stratus.XenApi.Client;

// Boots the test image with bare qemu-system-x86_64 commands and through QemuVmBackend (same image, kernel, memory,
// VCPUs, accelerator), interleaved so drifts in machine load hit all alike, and measures launch -> banner on the
// serial console. Contenders:
//   bare            the command a person types (foreground child of this process)
//   bare-daemonize  the same plus -daemonize -pidfile: QEMU in its own session, as Stratus runs it
//   stratus         QemuVmBackend.StartAsync (QEMU with the VM's full device model, QMP, VNC, balloon)
//   xenapi          VM.start over JSON-RPC/HTTP to a host agent (HostAgent, in this process, its own qemu backend
//                   and data): what a client of Stratus sees (session, database, launch spec, backend)
// For each run it also reads QEMU's CPU time and run-queue wait (/proc/<pid>/task/*/schedstat) at the banner, which
// tells work apart from waiting for a CPU on a loaded machine. Usage:
//   dotnet run -c Release --project benchmarks/Stratus.Benchmarks.VmBoot -- [--runs 5] [--accelerator auto|kvm|tcg] [--kernel pvh|bzimage]
var runs = 5;
var accelerator = "auto";
var kernelKind = "pvh";
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--runs": runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--accelerator": accelerator = args[i + 1]; break;
        case "--kernel": kernelKind = args[i + 1]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

var ct = CancellationToken.None;
var work = Path.Combine("/tmp", $"stratus-bench-{Environment.ProcessId}");
Directory.CreateDirectory(work);
var image = await new TestImageBuilder().BuildAsync(new TestImageOptions(Path.Combine(Path.GetTempPath(), "stratus-bench-image")) { Disks = TestImageDisks.None }, ct);
var kernel = kernelKind == "pvh" && image.PvhKernelPath is not null ? image.PvhKernelPath : image.KernelPath;
var options = new QemuOptions { DataDirectory = Path.Combine(work, "data"), Accelerator = accelerator };
await using var backend = await QemuVmBackend.CreateAsync(options, NullLoggerFactory.Instance, TimeProvider.System, ct);
var accel = backend.Accelerator;
var timeout = TimeSpan.FromMinutes(3);

// The host agent for the xenapi contender: same QEMU binary and accelerator (no second probe), a direct-boot VM.
var agentOptions = new HostAgentOptions { Listen = "127.0.0.1:0", DataDirectory = Path.Combine(work, "agent"), Backend = "qemu", Accelerator = accel, Password = "bench" };
Directory.CreateDirectory(agentOptions.DataDirectory);
var agentQemuOptions = new QemuOptions { DataDirectory = agentOptions.DataDirectory, Accelerator = accel };
await using var agentQemu = await QemuVmBackend.CreateAsync(agentQemuOptions, NullLoggerFactory.Instance, TimeProvider.System, ct);
await using var agent = HostAgent.Build(agentOptions, logging => logging.ClearProviders(), agentQemu);
await HostAgent.StartAsync(agent, agentOptions, ct);
var agentUrl = new Uri(agent.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
await using var xen = await XenSession.LoginAsync(new XenApiClient(agentUrl), "root", agentOptions.Password, ct);
var vmRef = (string)(await xen.CallAsync("VM.create", ct, new Dictionary<string, object?>
{
    ["name_label"] = "bench-xenapi",
    ["memory_static_min"] = 256L << 20,
    ["memory_dynamic_min"] = 256L << 20,
    ["memory_dynamic_max"] = 256L << 20,
    ["memory_static_max"] = 256L << 20,
    ["VCPUs_max"] = 1L,
    ["VCPUs_at_startup"] = 1L,
    ["PV_kernel"] = kernel,
    ["PV_ramdisk"] = image.InitrdPath,
    ["PV_args"] = image.KernelArgs,
}))!;
var vmUuid = (string)(await xen.CallAsync("VM.get_uuid", ct, vmRef))!;

Console.WriteLine($"machine: {Environment.ProcessorCount} CPUs, {Environment.OSVersion}, load average {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine($"QEMU: {options.Binary}; accelerator {accel} ({backend.AcceleratorReason})");
Console.WriteLine($"image: kernel {Path.GetFileName(kernel)} ({image.KernelVersion}), initrd {new FileInfo(image.InitrdPath).Length / 1024} KiB, args '{image.KernelArgs}', 1 VCPU, 256 MiB, no disks or NICs");
Console.WriteLine($"runs: {runs} of each, interleaved, after one warm-up of each");
Console.WriteLine();

var names = new[] { "bare", "bare-daemonize", "stratus", "xenapi" };
var results = names.ToDictionary(n => n, _ => new List<Sample>());
var startReturned = new List<double>();
var daemonizeReturned = new List<double>();
var xenStartReturned = new List<double>();
for (var run = -1; run < runs; run++)
{
    var samples = new[] { await BareAsync(run), await BareDaemonizedAsync(run), await StratusAsync(run), await XenApiAsync(run) };
    if (run < 0)
        continue;
    for (var i = 0; i < names.Length; i++)
        results[names[i]].Add(samples[i]);
    Console.WriteLine($"run {run + 1}: " + string.Join("   ", names.Select((n, i) => $"{n} {samples[i].Ms:F0} ms (cpu {samples[i].CpuMs:F0}, waited {samples[i].WaitMs:F0})")));
}

Console.WriteLine();
Console.WriteLine($"{"launch -> banner (ms)",-24}{"min",8}{"median",8}{"max",8}{"cpu",8}{"waited",8}");
foreach (var name in names)
{
    var r = results[name];
    Console.WriteLine($"{name,-24}{r.Min(s => s.Ms),8:F0}{Median(r.Select(s => s.Ms)),8:F0}{r.Max(s => s.Ms),8:F0}{Median(r.Select(s => s.CpuMs)),8:F0}{Median(r.Select(s => s.WaitMs)),8:F0}");
}

Console.WriteLine($"{"qemu -daemonize returned",-24}{daemonizeReturned.Min(),8:F0}{Median(daemonizeReturned),8:F0}{daemonizeReturned.Max(),8:F0}");
Console.WriteLine($"{"StartAsync returned",-24}{startReturned.Min(),8:F0}{Median(startReturned),8:F0}{startReturned.Max(),8:F0}");
Console.WriteLine($"{"VM.start returned",-24}{xenStartReturned.Min(),8:F0}{Median(xenStartReturned),8:F0}{xenStartReturned.Max(),8:F0}");
Console.WriteLine("(cpu = QEMU's CPU time up to the banner, waited = its time runnable but not running; medians)");
Console.WriteLine();
foreach (var contender in new[] { "stratus", "xenapi" })
{
    foreach (var baseline in new[] { "bare", "bare-daemonize" })
    {
        var b = Median(results[baseline].Select(s => s.Ms));
        var s = Median(results[contender].Select(x => x.Ms));
        var pairs = results[contender].Zip(results[baseline], (x, y) => x.Ms - y.Ms).ToList();
        Console.WriteLine($"{contender} vs {baseline}: overhead {s - b:F0} ms (median of run pairs {Median(pairs):F0} ms), ratio {s / b:F3}");
    }
}

var agentPairs = startReturned.Zip(daemonizeReturned, (a, b) => a - b).ToList();
Console.WriteLine($"agent's own time before the guest runs (StartAsync return - qemu -daemonize return): median {Median(agentPairs):F0} ms, min {agentPairs.Min():F0}, max {agentPairs.Max():F0}");
var xenPairs = xenStartReturned.Zip(daemonizeReturned, (a, b) => a - b).ToList();
Console.WriteLine($"the same through the XenAPI (VM.start return - qemu -daemonize return): median {Median(xenPairs):F0} ms, min {xenPairs.Min():F0}, max {xenPairs.Max():F0}");
Console.WriteLine("target: Stratus adds <= 150 ms");
await agent.StopAsync(ct);
Directory.Delete(work, recursive: true);
return 0;

List<string> MinimalArgs(string log)
{
    var list = new List<string> { "-machine", "pc", "-accel", accel };
    if (accel == "kvm")
        list.AddRange(["-cpu", "host"]);
    list.AddRange(["-smp", "1", "-m", "256M", "-nodefaults", "-display", "none", "-serial", $"file:{log}",
        "-kernel", kernel, "-initrd", image.InitrdPath, "-append", image.KernelArgs]);
    return list;
}

async Task<Sample> BareAsync(int run)
{
    var log = Path.Combine(work, $"bare-{run}.log");
    var info = new ProcessStartInfo(options.Binary) { RedirectStandardError = true, RedirectStandardOutput = true };
    foreach (var a in MinimalArgs(log))
        info.ArgumentList.Add(a);
    var started = Stopwatch.GetTimestamp();
    using var process = Process.Start(info)!;
    var seen = await BannerWatch.WaitAsync(log, timeout, ct);
    var sample = Measure(started, seen, process.Id);
    process.Kill();
    await process.WaitForExitAsync(ct);
    return sample;
}

async Task<Sample> BareDaemonizedAsync(int run)
{
    var log = Path.Combine(work, $"daemon-{run}.log");
    var pidFile = Path.Combine(work, $"daemon-{run}.pid");
    var started = Stopwatch.GetTimestamp();
    await ExternalCommand.RunCheckedAsync(options.Binary, [.. MinimalArgs(log), "-daemonize", "-pidfile", pidFile], ct);
    if (run >= 0)
        daemonizeReturned.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    var seen = await BannerWatch.WaitAsync(log, timeout, ct);
    var pid = int.Parse((await File.ReadAllTextAsync(pidFile, ct)).Trim(), CultureInfo.InvariantCulture);
    var sample = Measure(started, seen, pid);
    using var process = Process.GetProcessById(pid);
    process.Kill();
    return sample;
}

async Task<Sample> StratusAsync(int run)
{
    var uuid = Guid.NewGuid().ToString();
    var spec = new VmLaunchSpec(uuid, $"bench-{run}", 1, 256L << 20, 256L << 20, [], [], new BootSpec(kernel, image.InitrdPath, image.KernelArgs, ""), false);
    var log = QemuVmPaths.For(options, uuid).ConsoleLog;
    var started = Stopwatch.GetTimestamp();
    var info = await backend.StartAsync(spec, ct);
    if (run >= 0)
        startReturned.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    var seen = await BannerWatch.WaitAsync(log, timeout, ct);
    var sample = Measure(started, seen, (int)info.DomId);
    await backend.ShutdownAsync(uuid, clean: false, TimeSpan.Zero, ct);
    return sample;
}

async Task<Sample> XenApiAsync(int run)
{
    var log = QemuVmPaths.For(agentQemuOptions, vmUuid).ConsoleLog;
    var started = Stopwatch.GetTimestamp();
    await xen.CallAsync("VM.start", ct, vmRef, false, false);
    if (run >= 0)
        xenStartReturned.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    var seen = await BannerWatch.WaitAsync(log, timeout, ct);
    var domid = Convert.ToInt32(await xen.CallAsync("VM.get_domid", ct, vmRef), CultureInfo.InvariantCulture);
    var sample = Measure(started, seen, domid);
    await xen.CallAsync("VM.hard_shutdown", ct, vmRef);
    return sample;
}

// /proc/<pid>/task/*/schedstat: nanoseconds on a CPU, nanoseconds runnable but waiting for one (all threads).
static Sample Measure(long started, long seen, int pid)
{
    long run = 0, wait = 0;
    foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
    {
        var f = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ');
        run += long.Parse(f[0], CultureInfo.InvariantCulture);
        wait += long.Parse(f[1], CultureInfo.InvariantCulture);
    }

    return new Sample(Stopwatch.GetElapsedTime(started, seen).TotalMilliseconds, run / 1e6, wait / 1e6);
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
