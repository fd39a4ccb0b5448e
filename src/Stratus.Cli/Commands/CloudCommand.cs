using System.CommandLine;
using Stratus.Cli.Logging;
using Stratus.Cloud;

namespace Stratus.Cli.Commands;

/// <summary><c>stratus cloud serve --config FILE</c>: run the controller (the OpenStack APIs).</summary>
internal static class CloudCommand
{
    public static Command Create() => new("cloud", "The cloud controller: OpenStack-compatible identity, compute, image and network APIs.")
    {
        CreateServe(),
    };

    private static Command CreateServe()
    {
        var config = new Option<FileInfo>("--config") { Description = "JSON config file (Listen, DataDirectory, AdminPassword, Hosts, ...).", Required = true };
        var listen = new Option<string?>("--listen") { Description = "Override the config's Listen address:port." };
        var data = new Option<string?>("--data") { Description = "Override the config's DataDirectory." };
        var command = new Command("serve", "Serve the OpenStack APIs under /identity, /compute, /image and /networking until stopped.")
        {
            config, listen, data,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(config)!;
            if (!file.Exists)
            {
                await Console.Error.WriteLineAsync($"--config: {file.FullName} does not exist");
                return ExitCodes.Usage;
            }

            CloudOptions options;
            try
            {
                options = CloudHost.LoadOptions(file.FullName);
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException)
            {
                await Console.Error.WriteLineAsync($"--config: {file.FullName}: {e.Message}");
                return ExitCodes.Usage;
            }

            if (parse.GetValue(listen) is { } address)
            {
                options.Listen = address;
            }

            if (parse.GetValue(data) is { } directory)
            {
                options.DataDirectory = directory;
            }

            if (!Path.IsPathRooted(options.DataDirectory) && options.DataDirectory.Length > 0)
            {
                options.DataDirectory = Path.Combine(file.DirectoryName!, options.DataDirectory);
            }

            return await CloudHost.RunAsync(options, StratusLogging.Configure, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }
}
