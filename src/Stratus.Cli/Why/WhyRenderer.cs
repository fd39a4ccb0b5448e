using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Stratus.Cli.Why;

/// <summary>
/// Tells one server's story as text: what it is and where, its fault, each action with each step and its time and
/// details (the scheduler's verdict per host and filter with the numbers, the build steps on the host, the host
/// agent's error with QEMU's own message), what the services logged about it, and what to do (<see cref="WhyAdvice"/>).
/// </summary>
internal static partial class WhyRenderer
{
    public static string Render(WhyStory story)
    {
        var text = new StringBuilder();
        var server = story.Server;
        var flavor = server["flavor"] as JsonObject;
        text.AppendLine(Invariant($"Server {S(server["name"])} ({S(server["id"])}), project {S(server["tenant_id"])}: {S(server["status"])}{Host(server)}"));
        if (flavor is not null)
        {
            text.AppendLine(Invariant($"  flavor {S(flavor["original_name"])} ({S(flavor["ram"])} MB RAM, {S(flavor["vcpus"])} vCPUs, {S(flavor["disk"])} GB disk)"));
        }

        var task = S(server["OS-EXT-STS:task_state"]);
        text.AppendLine(Invariant($"  vm_state {S(server["OS-EXT-STS:vm_state"])}, task_state {(task.Length == 0 ? "-" : task)}, created {S(server["created"])}"));
        if (server["fault"] is JsonObject fault)
        {
            text.AppendLine();
            text.AppendLine(Invariant($"Fault (code {S(fault["code"])}, {S(fault["created"])}): {S(fault["message"])}"));
            Indent(text, S(fault["details"]), "  ");
        }

        foreach (var action in story.Actions)
        {
            text.AppendLine();
            var events = action["events"]?.AsArray().OfType<JsonObject>().OrderBy(e => S(e["start_time"]), StringComparer.Ordinal).ToList() ?? [];
            var message = S(action["message"]);
            text.AppendLine(Invariant($"{S(action["action"])} ({S(action["request_id"])}) at {S(action["start_time"])}{(message.Length > 0 ? $": {message}" : "")}"));
            foreach (var e in events)
            {
                var result = S(e["result"]);
                var mark = result switch { "Success" => "ok  ", "Error" => "FAIL", _ => "... " };
                var host = S(e["host"]);
                text.AppendLine(Invariant($"  {mark} {StepName(S(e["event"]))}{(host.Length > 0 ? $" on {host}" : "")}: {Duration(e)}"));
                Indent(text, S(e["traceback"]), "         ");
            }
        }

        if (!string.IsNullOrWhiteSpace(story.Console))
        {
            text.AppendLine();
            text.AppendLine("Console (last lines):");
            Indent(text, Clean(story.Console), "  | ");
        }

        if (story.Logs.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Logged about it (warnings and errors):");
            foreach (var entry in story.Logs)
            {
                text.AppendLine("  " + entry.Format());
            }
        }

        var advice = WhyAdvice.For(story);
        text.AppendLine();
        if (advice.Count == 0)
        {
            text.AppendLine(S(server["status"]) == "ERROR" ? "No known fix: the details above are all there is." : "Nothing to fix.");
        }
        else
        {
            text.AppendLine("What to do:");
            foreach (var line in advice)
            {
                text.AppendLine("  - " + line);
            }
        }

        return text.ToString();
    }

    /// <summary>nova's event names, as people say them.</summary>
    private static string StepName(string name) => name switch
    {
        "conductor_schedule_and_build_instances" => "scheduling (conductor_schedule_and_build_instances)",
        "compute__do_build_and_run_instance" => "build and start (compute__do_build_and_run_instance)",
        _ => name,
    };

    private static string Duration(JsonObject e)
    {
        if (!TryTime(e["start_time"], out var start))
        {
            return "-";
        }

        if (!TryTime(e["finish_time"], out var finish))
        {
            return $"running since {S(e["start_time"])}";
        }

        var ms = (finish - start).TotalMilliseconds;
        return ms < 1000 ? Invariant($"{ms:0} ms") : Invariant($"{ms / 1000:0.00} s");
    }

    private static bool TryTime(JsonNode? node, out DateTime time) =>
        DateTime.TryParse(S(node), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out time);

    private static string Host(JsonObject server)
    {
        var host = S(server["OS-EXT-SRV-ATTR:host"]);
        return host.Length > 0 ? $" on host {host}" : "";
    }

    private static void Indent(StringBuilder text, string block, string prefix)
    {
        foreach (var line in block.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            text.Append(prefix).AppendLine(line.TrimEnd());
        }
    }

    /// <summary>A console's text without terminal control sequences and carriage returns.</summary>
    internal static string Clean(string console) => TerminalControl().Replace(console, "");

    [System.Text.RegularExpressions.GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]|\r|[\x00-\x08\x0b\x0c\x0e-\x1f]")]
    private static partial System.Text.RegularExpressions.Regex TerminalControl();

    internal static string S(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
