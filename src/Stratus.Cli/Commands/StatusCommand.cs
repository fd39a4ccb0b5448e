using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Stratus.Cli.Up;

namespace Stratus.Cli.Commands;

/// <summary><c>stratus status</c>: every service up or down, with its last heartbeat and version; exit 1 when something is down.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var data = DataOption.Create();
        var format = new Option<string>("--format") { Description = "table (default) or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var command = new Command("status", "Show every service of the cloud with its state, last heartbeat and version.") { data, format };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var run = new RunDirectory(Path.GetFullPath(parse.GetValue(data)!));
            var rows = await StatusProbe.CollectAsync(run, cancellationToken);
            if (parse.GetValue(format) == "json")
            {
                Console.WriteLine(new JsonArray(rows.Select(r => (JsonNode)StatusProbe.ToJson(r)).ToArray()).ToJsonString());
            }
            else
            {
                var table = new Table().Border(TableBorder.Rounded);
                foreach (var column in new[] { "Service", "Host", "State", "Last heartbeat", "Version", "Detail" })
                {
                    table.AddColumn(column);
                }

                foreach (var row in rows)
                {
                    table.AddRow(Markup.Escape(row.Service), Markup.Escape(row.Host), row.Up ? "[green]up[/]" : "[red]down[/]",
                        Markup.Escape(row.LastHeartbeat), Markup.Escape(row.Version), Markup.Escape(row.Detail));
                }

                AnsiConsole.Write(table);
            }

            return rows.All(r => r.Up) ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
