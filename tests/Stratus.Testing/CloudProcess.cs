using System.Text.Json;

namespace Stratus.Testing;

/// <summary>Starts a real controller (<c>stratus cloud serve</c>) on a free port with a config file written for the test.</summary>
public static class CloudProcess
{
    public const string ReadyPrefix = "stratus cloud ready: ";

    public const string AdminPassword = "admin-secret";

    /// <summary>Starts the controller managing <paramref name="hosts"/> (XenAPI URLs, root password <see cref="HostAgentProcess.Password"/>).</summary>
    public static async Task<StratusProcess> StartAsync(string directory, IEnumerable<Uri> hosts, CancellationToken cancellationToken, IDictionary<string, object>? settings = null)
    {
        var config = new Dictionary<string, object>
        {
            ["Listen"] = "127.0.0.1:0",
            ["DataDirectory"] = Path.Combine(directory, "cloud"),
            ["AdminPassword"] = AdminPassword,
            ["Hosts"] = hosts.Select(h => new Dictionary<string, string> { ["Url"] = h.ToString(), ["User"] = "root", ["Password"] = HostAgentProcess.Password }).ToList(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, object>())
        {
            config[key] = value;
        }

        var path = Path.Combine(directory, "cloud.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(config), cancellationToken);
        return await StratusProcess.StartAsync(["cloud", "serve", "--config", path], ReadyPrefix, cancellationToken);
    }
}
