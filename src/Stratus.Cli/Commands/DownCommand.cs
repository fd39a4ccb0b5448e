using System.CommandLine;
using Stratus.Cli.Up;

namespace Stratus.Cli.Commands;

/// <summary><c>stratus down</c>: stops a cloud started with <c>stratus up --detach</c> (or in another terminal).</summary>
internal static class DownCommand
{
    public static Command Create()
    {
        var data = DataOption.Create();
        var command = new Command("down", "Stop the all-in-one cloud (servers' VMs keep running and are adopted by the next stratus up).") { data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var run = new RunDirectory(Path.GetFullPath(parse.GetValue(data)!));
            if (run.ReadState() is not { } state || !Signals.IsAlive(state.SupervisorPid))
            {
                Console.WriteLine($"Stratus is not running (data {run.Root}).");
                return ExitCodes.Success;
            }

            Signals.Terminate(state.SupervisorPid);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(1));
            while (Signals.IsAlive(state.SupervisorPid))
            {
                await Task.Delay(100, timeout.Token);
            }

            Console.WriteLine("Stratus stopped.");
            return ExitCodes.Success;
        });
        return command;
    }
}
