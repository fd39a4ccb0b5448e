using System.Text.Json;

namespace Stratus.Cli.Up;

/// <summary>
/// The layout of an all-in-one cloud's data directory: the host agent's and controller's state, logs (one JSON-lines
/// file per service), the run state of the supervisor, the openrc files and the generated secrets.
/// </summary>
internal sealed class RunDirectory(string root)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Root { get; } = root;

    public string Logs => Path.Combine(Root, "logs");

    public string AgentData => Path.Combine(Root, "host");

    public string CloudData => Path.Combine(Root, "cloud");

    public string CloudConfig => Path.Combine(Root, "cloud.json");

    public string StateFile => Path.Combine(Root, "run", "state.json");

    public string SecretsFile => Path.Combine(Root, "secrets.json");

    public string Images => Path.Combine(Root, "images");

    public string AdminOpenrc => Path.Combine(Root, "admin-openrc");

    public string DemoOpenrc => Path.Combine(Root, "demo-openrc");

    public string LogFile(string service) => Path.Combine(Logs, $"{service}.jsonl");

    /// <summary>The default per-user data directory ($XDG_DATA_HOME/stratus or ~/.local/share/stratus).</summary>
    public static string Default()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var baseDirectory = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
            : xdg;
        return Path.Combine(baseDirectory, "stratus");
    }

    public RunState? ReadState()
    {
        try
        {
            return File.Exists(StateFile) ? JsonSerializer.Deserialize<RunState>(File.ReadAllText(StateFile), Json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void WriteState(RunState state)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StateFile)!);
        var temporary = StateFile + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(state, Json));
        File.Move(temporary, StateFile, overwrite: true);
    }

    public void ClearState() => File.Delete(StateFile);
}
