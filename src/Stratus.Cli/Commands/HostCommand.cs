using System.CommandLine;
using Stratus.Cli.Logging;
using Stratus.Host;

namespace Stratus.Cli.Commands;

/// <summary><c>stratus host serve</c>: run a host agent (the XenServer host's xapi role); <c>host add</c> and <c>host list</c>: the hosts a controller manages.</summary>
internal static class HostCommand
{
    public static Command Create() => new("host", "The host agent: a XenAPI server for one host (VMs, storage, networks).")
    {
        CreateServe(),
        HostAddCommand.CreateAdd(),
        HostAddCommand.CreateList(),
    };

    private static Command CreateServe()
    {
        var defaults = new HostAgentOptions();
        var listen = new Option<string>("--listen") { Description = "Address:port of the XenAPI listener (port 0 picks a free one).", DefaultValueFactory = _ => defaults.Listen };
        var data = new Option<string>("--data") { Description = "Directory for the object database, SRs and VM state.", Required = true };
        var backend = new Option<string>("--backend") { Description = "sim (simulated VMs, for scale) or qemu (real VMs).", DefaultValueFactory = _ => defaults.Backend };
        backend.AcceptOnlyFromAmong("sim", "qemu");
        var user = new Option<string>("--user") { Description = "The user clients log in as.", DefaultValueFactory = _ => defaults.User };
        var password = new Option<string>("--password") { Description = "The password clients log in with (or STRATUS_HOST_PASSWORD)." };
        var name = new Option<string>("--name") { Description = "The host's name (default: this machine's)." };
        var cpus = new Option<int>("--cpus") { Description = "sim: physical CPUs to report.", DefaultValueFactory = _ => defaults.SimCpus };
        var memory = new Option<string>("--memory") { Description = "sim: physical RAM to report (e.g. 64GiB).", DefaultValueFactory = _ => "64GiB" };
        var disk = new Option<string>("--disk") { Description = "sim: size of the local SR (e.g. 1TiB).", DefaultValueFactory = _ => "1TiB" };
        var startDelay = new Option<string>("--sim-start-delay") { Description = "sim: how long a VM start takes (e.g. 250ms).", DefaultValueFactory = _ => "0ms" };
        var stopDelay = new Option<string>("--sim-stop-delay") { Description = "sim: how long a VM shutdown takes.", DefaultValueFactory = _ => "0ms" };
        var accelerator = new Option<string>("--accelerator") { Description = "qemu: auto (KVM only when a time-limited probe boot succeeds, else TCG), kvm or tcg.", DefaultValueFactory = _ => defaults.Accelerator };
        accelerator.AcceptOnlyFromAmong("auto", "kvm", "tcg");
        var qemu = new Option<string>("--qemu") { Description = "qemu: the emulator binary (a name on PATH or a path).", DefaultValueFactory = _ => defaults.QemuBinary };
        var netns = new Option<string>("--netns") { Description = "qemu: run QEMU, bridges and TAPs inside this network namespace (ip netns)." };
        var count = new Option<int>("--count")
        {
            Description = "sim: run N independent hosts in this process (data in DATA/host-<i>, names NAME-<i>, ports consecutive from --listen's, or free ones for port 0); one ready line each.",
            DefaultValueFactory = _ => 1,
        };

        var command = new Command("serve", "Serve the XenAPI (XML-RPC on /, JSON-RPC on /jsonrpc) until stopped.")
        {
            listen, data, backend, accelerator, qemu, netns, user, password, name, cpus, memory, disk, startDelay, stopDelay, count,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            HostAgentOptions options;
            try
            {
                options = new HostAgentOptions
                {
                    Listen = parse.GetValue(listen)!,
                    DataDirectory = Path.GetFullPath(parse.GetValue(data)!),
                    Backend = parse.GetValue(backend)!,
                    Accelerator = parse.GetValue(accelerator)!,
                    QemuBinary = parse.GetValue(qemu)!,
                    NetworkNamespace = parse.GetValue(netns) ?? "",
                    User = parse.GetValue(user)!,
                    Password = parse.GetValue(password) ?? Environment.GetEnvironmentVariable("STRATUS_HOST_PASSWORD") ?? "",
                    HostName = parse.GetValue(name) ?? "",
                    SimCpus = parse.GetValue(cpus),
                    SimMemoryBytes = Units.ParseBytes(parse.GetValue(memory)!, "--memory"),
                    SimDiskBytes = Units.ParseBytes(parse.GetValue(disk)!, "--disk"),
                    SimStartDelay = Units.ParseDuration(parse.GetValue(startDelay)!, "--sim-start-delay"),
                    SimStopDelay = Units.ParseDuration(parse.GetValue(stopDelay)!, "--sim-stop-delay"),
                };
            }
            catch (FormatException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return ExitCodes.Usage;
            }

            var hosts = parse.GetValue(count);
            return hosts == 1
                ? await HostAgent.RunAsync(options, StratusLogging.Configure, Console.Out, Console.Error, cancellationToken)
                : await HostFarm.RunAsync(options, hosts, StratusLogging.Configure, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }
}
