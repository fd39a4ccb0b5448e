using System.Text.Json;
using Spectre.Console;

namespace Stratus.Cli.Up;

/// <summary>
/// <c>stratus up</c> in the foreground: picks the backend, starts the embedded host agent and the controller under
/// the supervisor, bootstraps the cloud (first run only creates things), writes the openrc files, prints where
/// everything is and what to do next, then runs until Ctrl-C stops everything cleanly.
/// </summary>
internal sealed partial class UpRunner(UpSettings settings, RunDirectory run, Func<IProgress<string>, CancellationToken, Task<string>> buildImage, TimeProvider time)
{
    public const string ReadyPrefix = "Stratus is up: ";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(run.Root);
        var (backend, why) = ChooseBackend();
        var secrets = Secrets.LoadOrCreate(run, settings.AdminPassword);
        WriteControllerConfig(secrets);

        using var upLog = new LogWriter(run.LogFile("up"), "up", time);
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new FileLoggerProvider(upLog, time)));
        var definitions = new List<ServiceDefinition>();
        if (settings.ExternalHost is null)
        {
            definitions.Add(new ServiceDefinition("host-agent",
                ["host", "serve", "--listen", settings.AgentListen, "--data", run.AgentData, "--backend", backend, "--password", secrets.HostPassword],
                "stratus host agent ready: "));
        }

        definitions.Add(new ServiceDefinition("controller", ["cloud", "serve", "--config", run.CloudConfig], "stratus cloud ready: "));

        AnsiConsole.MarkupLine($"[bold]Stratus[/] {Markup.Escape(Supervisor.Version)}: data in [blue]{Markup.Escape(run.Root)}[/]");
        AnsiConsole.MarkupLine($"Backend: [bold]{Markup.Escape(backend)}[/] ({Markup.Escape(why)})");
        var upLogger = loggers.CreateLogger<UpRunner>();
        await using var supervisor = new Supervisor(run, definitions, backend, time, loggers.CreateLogger<Supervisor>());
        try
        {
            await AnsiConsole.Status().StartAsync("Starting the host agent and the controller…", _ => supervisor.StartAsync(cancellationToken));
            await AnsiConsole.Status().StartAsync("Bootstrapping the cloud (users, flavors, networks, image)…", async status =>
            {
                var progress = new Progress<string>(text =>
                {
                    status.Status(Markup.Escape(text));
                    LogProgress(upLogger, text);
                });
                await new Bootstrapper(settings, secrets.AdminPassword, loggers.CreateLogger<Bootstrapper>()).RunAsync(
                    ct => buildImage(progress, ct), cancellationToken);
            });
        }
        catch (Exception e) when (e is InvalidOperationException or CloudApiException or HttpRequestException)
        {
            AnsiConsole.MarkupLine($"[red]stratus up failed:[/] {Markup.Escape(e.Message)}");
            AnsiConsole.MarkupLine($"See the logs: [bold]stratus logs --data {Markup.Escape(run.Root)}[/]");
            return ExitCodes.Failure;
        }

        OpenRc.Write(run.AdminOpenrc, settings, "admin", "admin", secrets.AdminPassword, secrets.HostPassword);
        OpenRc.Write(run.DemoOpenrc, settings, "demo", "demo", secrets.AdminPassword);
        // The summary first: stratus up --detach prints this process's output once the run state says ready.
        PrintSummary(secrets, backend);
        await Console.Out.FlushAsync(cancellationToken);
        supervisor.MarkReady();

        // The supervisor idles from here on: give back what the bootstrap used (performance.md counts every process's RSS).
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("Stopping Stratus… (servers' VMs keep running; the next stratus up adopts them)");
        }

        return ExitCodes.Success;
    }

    private (string Backend, string Why) ChooseBackend()
    {
        if (settings.ExternalHost is { } external)
        {
            return ("xenserver", $"managing {external.Url} through its XenAPI");
        }

        var qemu = FindOnPath("qemu-system-x86_64");
        return settings.Backend switch
        {
            "sim" => ("sim", "as requested"),
            "qemu" when qemu is null => throw new InvalidOperationException("--backend qemu: qemu-system-x86_64 is not installed (apt-get install qemu-system-x86 qemu-utils)"),
            "qemu" => ("qemu", "as requested"),
            _ when qemu is not null => ("qemu", $"{qemu} is installed; KVM if a probe boot succeeds, else TCG"),
            _ => ("sim", "qemu-system-x86_64 is not installed, so VMs are simulated (apt-get install qemu-system-x86 qemu-utils for real ones)"),
        };
    }

    private void WriteControllerConfig(Secrets secrets)
    {
        var host = settings.ExternalHost is { } external
            ? new { Url = external.Url, User = external.User, Password = external.Password }
            : new { Url = settings.AgentUrl, User = "root", Password = secrets.HostPassword };
        var config = new
        {
            Listen = settings.Listen,
            DataDirectory = run.CloudData,
            AdminPassword = secrets.AdminPassword,
            Hosts = new[] { host },
        };
        File.WriteAllText(run.CloudConfig, JsonSerializer.Serialize(config, Indented));
        File.SetUnixFileMode(run.CloudConfig, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private void PrintSummary(Secrets secrets, string backend)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Service").AddColumn("Endpoint");
        table.AddRow("Identity (Keystone v3)", $"{settings.BaseUrl}/identity/v3");
        table.AddRow("Compute (Nova v2.1)", $"{settings.BaseUrl}/compute/v2.1");
        table.AddRow("Image (Glance v2)", $"{settings.BaseUrl}/image");
        table.AddRow("Network (Neutron v2.0)", $"{settings.BaseUrl}/networking");
        if (settings.ExternalHost is null)
        {
            table.AddRow($"XenAPI host agent ({backend})", settings.AgentUrl);
        }

        AnsiConsole.Write(table);
        if (secrets.AdminPasswordGenerated)
        {
            AnsiConsole.MarkupLine($"Generated admin password (shown once; kept in {Markup.Escape(run.SecretsFile)}): [bold]{Markup.Escape(secrets.AdminPassword)}[/]");
        }

        AnsiConsole.MarkupLine($"Credentials: [blue]{Markup.Escape(run.AdminOpenrc)}[/] and [blue]{Markup.Escape(run.DemoOpenrc)}[/]");
        AnsiConsole.MarkupLine("Next steps:");
        AnsiConsole.MarkupLine($"  source {Markup.Escape(run.DemoOpenrc)}");
        AnsiConsole.MarkupLine("  openstack server create --flavor m1.micro --image cirros --network private --wait vm1");
        AnsiConsole.MarkupLine("  openstack console log show vm1");
        AnsiConsole.MarkupLine("  stratus status | stratus logs --follow | stratus why vm1");
        // One plain line scripts and tests can wait for, with the URL (like the services' own ready lines).
        AnsiConsole.WriteLine($"{ReadyPrefix}{settings.BaseUrl} (Ctrl-C stops it)");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "{Step}")]
    private static partial void LogProgress(ILogger logger, string step);
}
