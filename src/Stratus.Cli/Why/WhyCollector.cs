using System.Text.Json.Nodes;
using Stratus.Cli.Up;

namespace Stratus.Cli.Why;

/// <summary>Gathers a <see cref="WhyStory"/> from a running cloud through its admin APIs and from its log files.</summary>
internal static class WhyCollector
{
    /// <summary>2.62: instance action events carry their host; admins see each event's details (nova's traceback).</summary>
    private const string Microversion = "2.62";

    private const int ConsoleLines = 12;

    public static async Task<WhyStory> CollectAsync(CloudClient admin, RunDirectory run, string nameOrId, CancellationToken cancellationToken)
    {
        var server = await FindAsync(admin, nameOrId, cancellationToken);
        var id = server["id"]!.GetValue<string>();
        var list = await admin.GetAsync($"compute/v2.1/servers/{id}/os-instance-actions", Microversion, cancellationToken);
        var actions = new List<JsonObject>();
        foreach (var action in list["instanceActions"]?.AsArray() ?? [])
        {
            var requestId = action!["request_id"]!.GetValue<string>();
            var shown = await admin.GetAsync($"compute/v2.1/servers/{id}/os-instance-actions/{requestId}", Microversion, cancellationToken);
            actions.Add(shown["instanceAction"]!.AsObject());
        }

        actions.Reverse(); // oldest first: the story in order
        var flavors = await admin.GetAsync("compute/v2.1/flavors/detail?is_public=None", cancellationToken);
        var hypervisors = await admin.GetAsync("compute/v2.1/os-hypervisors/detail", cancellationToken);
        var requestIds = actions.Select(a => a["request_id"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        return new WhyStory(
            server,
            actions,
            Objects(flavors["flavors"]),
            Objects(hypervisors["hypervisors"]),
            ReadLogs(run, id, requestIds),
            await ConsoleAsync(admin, server, cancellationToken));
    }

    /// <summary>The console's last lines (os-getConsoleOutput) of a running server: whether its guest booted.</summary>
    private static async Task<string?> ConsoleAsync(CloudClient admin, JsonObject server, CancellationToken cancellationToken)
    {
        if (server["status"]?.GetValue<string>() != "ACTIVE")
        {
            return null;
        }

        try
        {
            var output = await admin.PostAsync($"compute/v2.1/servers/{server["id"]}/action",
                new JsonObject { ["os-getConsoleOutput"] = new JsonObject { ["length"] = ConsoleLines } }, cancellationToken);
            return output["output"]?.GetValue<string>();
        }
        catch (CloudApiException)
        {
            // No console (yet): the rest of the story stands without it.
            return null;
        }
    }

    private static async Task<JsonObject> FindAsync(CloudClient admin, string nameOrId, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(nameOrId, out _))
        {
            try
            {
                return (await admin.GetAsync($"compute/v2.1/servers/{nameOrId}", "2.79", cancellationToken))["server"]!.AsObject();
            }
            catch (CloudApiException e) when (e.Status == 404)
            {
                // A server may be named like a UUID; look it up by name below.
            }
        }

        var found = await admin.GetAsync($"compute/v2.1/servers/detail?all_tenants=1&deleted=false&name={Uri.EscapeDataString(nameOrId)}", "2.79", cancellationToken);
        var matches = Objects(found["servers"]).Where(s => s["name"]?.GetValue<string>() == nameOrId).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new WhyException($"No server with a name or ID of '{nameOrId}' exists."),
            _ => throw new WhyException($"More than one server is named '{nameOrId}' ({string.Join(", ", matches.Select(m => m["id"]))}); give its ID."),
        };
    }

    /// <summary>The warnings and errors of every service logged under one of the server's request ids or naming it.</summary>
    private static List<LogEntry> ReadLogs(RunDirectory run, string serverId, HashSet<string> requestIds)
    {
        var entries = new List<LogEntry>();
        if (!Directory.Exists(run.Logs))
        {
            return entries;
        }

        foreach (var file in Directory.GetFiles(run.Logs, "*.jsonl"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (LogEntry.Parse(line) is { Level: "Warning" or "Error" or "Critical" } entry
                    && (entry.RequestIds.Any(requestIds.Contains) || entry.Raw.Contains(serverId, StringComparison.Ordinal)))
                {
                    entries.Add(entry);
                }
            }
        }

        return entries.OrderBy(e => e.Timestamp, StringComparer.Ordinal).ToList();
    }

    private static List<JsonObject> Objects(JsonNode? array) => array?.AsArray().OfType<JsonObject>().ToList() ?? [];
}
