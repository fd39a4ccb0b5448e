using System.CommandLine;
using Stratus.Cli;
using Stratus.Cli.Commands;

// xe keeps its own grammar (-h is a server, @file is no response file): its tokens bypass System.CommandLine.
if (args.Length > 0 && args[0] == XeCommand.Name)
{
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancel.Cancel();
    };
    try
    {
        return await XeCommand.RunAsync(args[1..], cancel.Token);
    }
    catch (OperationCanceledException) when (cancel.IsCancellationRequested)
    {
        // newcli exits 1 on SIGINT.
        return ExitCodes.Failure;
    }
}

// Tables and summaries written to a file or pipe keep their lines whole (Spectre.Console assumes 80 columns there).
if (Console.IsOutputRedirected)
{
    Spectre.Console.AnsiConsole.Profile.Width = 200;
}

// The stratus program: each command is one class under Commands/.
var root = new RootCommand("Stratus: a private cloud in one program (XenAPI host agent, OpenStack-compatible controller).")
{
    HostCommand.Create(),
    CloudCommand.Create(),
    XeCommand.Create(),
    ImageCommand.Create(),
    UpCommand.Create(),
    DownCommand.Create(),
    StatusCommand.Create(),
    LogsCommand.Create(),
    RestartCommand.Create(),
    WhyCommand.Create(),
};

// up stops its services one after another on Ctrl-C/SIGTERM; System.CommandLine's default 2 s would cut that short.
var invocation = new InvocationConfiguration();
if (args.Length > 0 && args[0] == "up")
{
    invocation.ProcessTerminationTimeout = TimeSpan.FromSeconds(60);
}

return await root.Parse(args).InvokeAsync(invocation);
