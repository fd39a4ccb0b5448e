using System.CommandLine;
using Stratus.Cli.Up;

namespace Stratus.Cli.Commands;

/// <summary>
/// <c>stratus logs</c>: every service's log in one place, in time order. Filters by service, by request id (which
/// follows a request from the API through the conductor into the host agent) and by server (any line naming it).
/// </summary>
internal static class LogsCommand
{
    public static Command Create()
    {
        var data = DataOption.Create();
        var service = new Option<string?>("--service") { Description = "Only this service: controller, host-agent or up." };
        var request = new Option<string?>("--request") { Description = "Only lines of this request id (req-…)." };
        var server = new Option<string?>("--server") { Description = "Only this server's lines: those naming its ID and every line of the requests that do." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines as they arrive." };
        var lines = new Option<int?>("--lines", "-n") { Description = "Only the last N matching lines." };
        var format = new Option<string>("--format") { Description = "text (default) or json (the stored JSON lines).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("logs", "Show the cloud's logs: every service in one place.") { data, service, request, server, follow, lines, format };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var run = new RunDirectory(Path.GetFullPath(parse.GetValue(data)!));
            if (!Directory.Exists(run.Logs))
            {
                await Console.Error.WriteLineAsync($"logs: no logs in {run.Logs} (has stratus up run with this --data?)");
                return ExitCodes.Failure;
            }

            var filter = new LogFilter(parse.GetValue(service), parse.GetValue(request), parse.GetValue(server));
            var json = parse.GetValue(format) == "json";
            var positions = new Dictionary<string, long>(StringComparer.Ordinal);
            var matching = ReadNew(run, filter, positions);
            if (parse.GetValue(lines) is { } tail)
            {
                matching = matching.Skip(Math.Max(0, matching.Count - tail)).ToList();
            }

            Print(matching, json);
            while (parse.GetValue(follow) && !cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(250, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                Print(ReadNew(run, filter, positions), json);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(IEnumerable<LogEntry> entries, bool json)
    {
        foreach (var entry in entries)
        {
            Console.WriteLine(json ? entry.Raw : entry.Format());
        }
    }

    /// <summary>Reads what each log file gained since the last call, merged in time order.</summary>
    private static List<LogEntry> ReadNew(RunDirectory run, LogFilter filter, Dictionary<string, long> positions)
    {
        var entries = new List<LogEntry>();
        foreach (var file in Directory.GetFiles(run.Logs, "*.jsonl").Order(StringComparer.Ordinal))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var start = positions.GetValueOrDefault(file);
            if (start > stream.Length)
            {
                start = 0; // the file rolled over
            }

            stream.Position = start;
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (LogEntry.Parse(line) is { } entry)
                {
                    entries.Add(entry);
                }
            }

            positions[file] = stream.Length;
        }

        filter.Learn(entries);
        return entries.Where(filter.Matches).OrderBy(e => e.Timestamp, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Service, request and server filters. A server's lines are those naming it and every line of the requests that
    /// name it somewhere (the API's access line, the host agent's VM.start), so its story reads from end to end.
    /// </summary>
    private sealed class LogFilter(string? service, string? request, string? server)
    {
        private readonly HashSet<string> _serverRequests = new(StringComparer.Ordinal);

        public void Learn(IEnumerable<LogEntry> entries)
        {
            if (server is null)
            {
                return;
            }

            foreach (var entry in entries.Where(e => e.Raw.Contains(server, StringComparison.OrdinalIgnoreCase)))
            {
                // Per-connection ids (ASP.NET's "0HN…:00000001") and the heartbeats' are not one request's story.
                _serverRequests.UnionWith(entry.RequestIds.Where(id => id.StartsWith("req-", StringComparison.Ordinal) && !id.StartsWith("req-heartbeat", StringComparison.Ordinal)));
            }
        }

        public bool Matches(LogEntry entry) =>
            (service is null || string.Equals(entry.Service, service, StringComparison.OrdinalIgnoreCase))
            && (request is null || entry.RequestIds.Contains(request) || entry.Message.Contains(request, StringComparison.Ordinal))
            && (server is null || entry.Raw.Contains(server, StringComparison.OrdinalIgnoreCase) || entry.RequestIds.Any(_serverRequests.Contains));
    }
}
