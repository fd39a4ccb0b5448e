using System.CommandLine;
using Stratus.Cli.Up;
using Stratus.Cli.Why;

namespace Stratus.Cli.Commands;

/// <summary>
/// <c>stratus why SERVER</c>: the whole story of one server (by name or ID) from the running cloud: the scheduling
/// decision per host and filter, each build step with its time, the host agent's errors, and a fix where one is known.
/// </summary>
internal static class WhyCommand
{
    public static Command Create()
    {
        var server = new Argument<string>("server") { Description = "The server's name or ID." };
        var data = DataOption.Create();
        var command = new Command("why", "Explain one server: where it was scheduled and why, each build step, errors and the fix.") { server, data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var run = new RunDirectory(Path.GetFullPath(parse.GetValue(data)!));
            if (run.ReadState() is not { } state || !Signals.IsAlive(state.SupervisorPid) || state.ControllerUrl.Length == 0)
            {
                await Console.Error.WriteLineAsync($"why: Stratus is not running (data {run.Root}); start it with stratus up");
                return ExitCodes.Failure;
            }

            try
            {
                var secrets = Secrets.LoadOrCreate(run, null);
                using var admin = await CloudClient.LoginAsync(state.ControllerUrl, "admin", secrets.AdminPassword, "admin", cancellationToken);
                var story = await WhyCollector.CollectAsync(admin, run, parse.GetValue(server)!, cancellationToken);
                Console.Write(WhyRenderer.Render(story));
                return ExitCodes.Success;
            }
            catch (WhyException e)
            {
                await Console.Error.WriteLineAsync($"why: {e.Message}");
                return ExitCodes.Failure;
            }
            catch (Exception e) when (e is CloudApiException or HttpRequestException)
            {
                await Console.Error.WriteLineAsync($"why: the controller at {state.ControllerUrl} did not answer as expected: {e.Message}");
                return ExitCodes.Failure;
            }
        });
        return command;
    }
}
