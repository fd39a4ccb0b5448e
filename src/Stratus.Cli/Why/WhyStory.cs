using System.Text.Json.Nodes;
using Stratus.Cli.Up;

namespace Stratus.Cli.Why;

/// <summary>
/// Everything the controller and the logs know about one server, as the admin APIs return it: the server (with its
/// fault and the fault's details), its instance actions with their events (each event's details: the scheduler's
/// per-host verdicts, the build steps' times, the host agent's error), the flavors and hypervisors (for the fix),
/// the warnings and errors logged under the server's request ids, and the end of its console (did the guest boot?).
/// </summary>
internal sealed record WhyStory(
    JsonObject Server,
    IReadOnlyList<JsonObject> Actions,
    IReadOnlyList<JsonObject> Flavors,
    IReadOnlyList<JsonObject> Hypervisors,
    IReadOnlyList<LogEntry> Logs,
    string? Console = null);
