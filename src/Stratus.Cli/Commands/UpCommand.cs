using System.CommandLine;
using System.Diagnostics;
using Stratus.Cli.Up;

namespace Stratus.Cli.Commands;

/// <summary>
/// <c>stratus up</c>: DevStack's role in one command. Starts the controller and an embedded host agent, bootstraps
/// the cloud on the first run (idempotently), prints where everything is and runs until Ctrl-C, or with
/// <c>--detach</c> in the background until <c>stratus down</c>.
/// </summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var data = DataOption.Create();
        var listen = new Option<string?>("--listen") { Description = "The controller's address:port (default 127.0.0.1:8800); the host agent takes the next port." };
        var backend = new Option<string?>("--backend") { Description = "qemu (real VMs) or sim (simulated); default: qemu when qemu-system-x86_64 is installed." };
        backend.AcceptOnlyFromAmong("qemu", "sim");
        var config = new Option<FileInfo?>("--config") { Description = "A JSON config or DevStack's localrc (ADMIN_PASSWORD, XENAPI_CONNECTION_URL, …)." };
        var detach = new Option<bool>("--detach", "-d") { Description = "Run in the background and return once the cloud is ready; stratus down stops it." };
        var command = new Command("up", "Bring up the all-in-one cloud: controller, host agent, users, flavors, networks and the cirros test image.")
        {
            data, listen, backend, config, detach,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var run = new RunDirectory(Path.GetFullPath(parse.GetValue(data)!));
            var settings = new UpSettings { DataDirectory = run.Root };
            if (parse.GetValue(config) is { } file)
            {
                if (!file.Exists)
                {
                    await Console.Error.WriteLineAsync($"--config: {file.FullName} does not exist");
                    return ExitCodes.Usage;
                }

                ConfigResult result;
                try
                {
                    result = ConfigFile.Read(file.FullName, settings);
                }
                catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
                {
                    await Console.Error.WriteLineAsync($"--config: {file.FullName}: {e.Message}");
                    return ExitCodes.Usage;
                }

                foreach (var note in result.Notes)
                {
                    await Console.Error.WriteLineAsync($"config: {note}");
                }

                if (result.Errors.Count > 0)
                {
                    foreach (var error in result.Errors)
                    {
                        await Console.Error.WriteLineAsync($"config error: {error}");
                    }

                    return ExitCodes.Usage;
                }

                settings = result.Settings;
            }

            if (parse.GetValue(listen) is { } address)
            {
                if (!System.Net.IPEndPoint.TryParse(address, out var endPoint) || endPoint.Port is 0 or 65535)
                {
                    await Console.Error.WriteLineAsync($"--listen: '{address}' is not an address:port such as 127.0.0.1:8800 (the host agent takes the next port)");
                    return ExitCodes.Usage;
                }

                settings = settings with { Listen = address };
            }

            if (parse.GetValue(backend) is { } chosen)
            {
                settings = settings with { Backend = chosen };
            }

            if (run.ReadState() is { } state && Signals.IsAlive(state.SupervisorPid) && state.SupervisorPid != Environment.ProcessId)
            {
                await Console.Error.WriteLineAsync($"Stratus is already running from {run.Root} (pid {state.SupervisorPid}, {state.ControllerUrl}); stratus down stops it.");
                return ExitCodes.Failure;
            }

            if (parse.GetValue(detach))
            {
                return await DetachAsync(run, ChildArguments(parse, run), cancellationToken);
            }

            return await new UpRunner(settings, run, TestImageSource.For(run), TimeProvider.System).RunAsync(cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// Runs this same command again without --detach in its own session (setsid: the terminal's Ctrl-C and hang-up do
    /// not reach it), its console output in DATA/run/up.out, and returns once it reports ready, printing its summary.
    /// </summary>
    private static async Task<int> DetachAsync(RunDirectory run, List<string> args, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(run.StateFile)!);
        var console = Path.Combine(Path.GetDirectoryName(run.StateFile)!, "up.out");
        var self = SelfCommand.Create(["up", .. args]);
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec setsid \"$@\" >\"$0\" 2>&1 </dev/null");
        info.ArgumentList.Add(console);
        info.ArgumentList.Add(self.FileName);
        foreach (var argument in self.ArgumentList)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["TERM"] = "dumb";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start stratus up in the background");
        var pid = process.Id;
        Console.WriteLine($"Starting Stratus in the background (output in {console})…");
        while (true)
        {
            // setsid forks when it already leads a process group; then the supervisor's pid is its child's.
            if (run.ReadState() is { Ready: true } state && Signals.IsAlive(state.SupervisorPid) && (state.SupervisorPid == pid || process.HasExited))
            {
                pid = state.SupervisorPid;
                Console.Write(await File.ReadAllTextAsync(console, cancellationToken));
                Console.WriteLine($"Running in the background (pid {pid}); stratus down{DataArgument(run)} stops it.");
                return ExitCodes.Success;
            }

            if (process.HasExited && (process.ExitCode != 0 || run.ReadState() is not { } started || !Signals.IsAlive(started.SupervisorPid)))
            {
                Console.Write(await File.ReadAllTextAsync(console, cancellationToken));
                await Console.Error.WriteLineAsync($"stratus up exited with code {process.ExitCode} before it was ready.");
                return ExitCodes.Failure;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>The command line again, without --detach and with the data directory absolute.</summary>
    internal static List<string> ChildArguments(ParseResult parse, RunDirectory run)
    {
        var arguments = new List<string>();
        var tokens = parse.Tokens.Where(t => t.Type != System.CommandLine.Parsing.TokenType.Command).Select(t => t.Value).ToList();
        for (var i = 0; i < tokens.Count; i++)
        {
            switch (tokens[i])
            {
                case "--detach" or "-d":
                    break;
                case "--data":
                    i++;
                    break;
                default:
                    arguments.Add(tokens[i]);
                    break;
            }
        }

        arguments.AddRange(["--data", run.Root]);
        return arguments;
    }

    private static string DataArgument(RunDirectory run) => run.Root == RunDirectory.Default() ? "" : $" --data {run.Root}";
}
