using System.Text.Json.Nodes;

namespace Stratus.Cli.Up;

/// <summary>One log line as stored (the .NET JSON console format plus the service name), with what filters look at.</summary>
internal sealed record LogEntry(string Timestamp, string Service, string Level, string Category, string Message, IReadOnlyList<string> RequestIds, string Raw)
{
    public static LogEntry? Parse(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(line) is not JsonObject entry)
            {
                return null;
            }

            var requestIds = new List<string>();
            foreach (var scope in entry["Scopes"]?.AsArray() ?? [])
            {
                if (scope?["RequestId"]?.GetValue<string>() is { } id)
                {
                    requestIds.Add(id);
                }
            }

            return new LogEntry(
                entry[nameof(Timestamp)]?.GetValue<string>() ?? "",
                entry[nameof(Service)]?.GetValue<string>() ?? "",
                entry["LogLevel"]?.GetValue<string>() ?? "",
                entry[nameof(Category)]?.GetValue<string>() ?? "",
                entry[nameof(Message)]?.GetValue<string>() ?? "",
                requestIds,
                line);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>A readable line: time, service, level, category, message and the request id.</summary>
    public string Format()
    {
        var level = Level switch
        {
            "Information" => "info",
            "Warning" => "warn",
            "Error" => "fail",
            "Critical" => "crit",
            "Debug" => "dbug",
            "Trace" => "trce",
            _ => Level.ToLowerInvariant(),
        };
        var category = Category.StartsWith("Stratus.", StringComparison.Ordinal) ? Category[8..] : Category;
        var request = RequestIds.Count > 0 ? $" [{RequestIds[^1]}]" : "";
        return $"{Timestamp} {Service,-10} {level} {category}: {Message}{request}";
    }
}
