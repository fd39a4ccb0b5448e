using System.CommandLine;
using Stratus.Cli.Up;

namespace Stratus.Cli.Commands;

/// <summary>
/// <c>stratus restart SERVICE</c>: restarts one service and leaves the rest running (where the seed had screen,
/// Ctrl-C and the up arrow). The nova-like services share the controller process, so they restart together.
/// </summary>
internal static class RestartCommand
{
    public static Command Create()
    {
        var service = new Argument<string>("service") { Description = "host-agent, or controller (api, metadata, conductor, scheduler, consoleauth, compute)." };
        var data = DataOption.Create();
        var command = new Command("restart", "Restart one service of the running cloud.") { service, data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var run = new RunDirectory(Path.GetFullPath(parse.GetValue(data)!));
            var requested = parse.GetValue(service)!;
            var target = Resolve(requested);
            if (target is null)
            {
                await Console.Error.WriteLineAsync($"restart: unknown service '{requested}' (host-agent, controller, api, metadata, conductor, scheduler, consoleauth, compute)");
                return ExitCodes.Usage;
            }

            if (run.ReadState() is not { } state || !Signals.IsAlive(state.SupervisorPid) || !state.Services.TryGetValue(target, out var before))
            {
                await Console.Error.WriteLineAsync($"restart: Stratus is not running (data {run.Root}); start it with stratus up");
                return ExitCodes.Failure;
            }

            if (target != requested)
            {
                Console.WriteLine($"{requested} runs inside the {target}; restarting the {target}.");
            }

            var watch = System.Diagnostics.Stopwatch.StartNew();
            Signals.Terminate(before.Pid);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            while (run.ReadState() is not { } now || !now.Services.TryGetValue(target, out var after) || after.Pid == before.Pid || !await AnswersAsync(after.Url, timeout.Token))
            {
                await Task.Delay(100, timeout.Token);
            }

            Console.WriteLine($"{target} restarted in {watch.Elapsed.TotalSeconds:0.0} s.");
            return ExitCodes.Success;
        });
        return command;
    }

    public static string? Resolve(string name) => name.ToLowerInvariant() switch
    {
        "host-agent" or "agent" or "host" or "xapi" => "host-agent",
        "controller" or "cloud" or "api" or "metadata" or "conductor" or "scheduler" or "consoleauth" or "compute"
            or "nova-osapi_compute" or "nova-metadata" or "nova-conductor" or "nova-scheduler" or "nova-consoleauth" or "nova-compute" => "controller",
        _ => null,
    };

    private static async Task<bool> AnswersAsync(string url, CancellationToken cancellationToken)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            using var response = await http.GetAsync(url, cancellationToken);
            return (int)response.StatusCode < 500;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
