using System.Globalization;
using System.Text.Json.Nodes;
using Stratus.XenApi;
using Stratus.XenApi.Client;

namespace Stratus.Cli.Up;

/// <summary>
/// Collects the state of every part of a running cloud: the supervised processes, the controller's services as
/// os-services reports them (heartbeat age decides up or down), and each host agent through its own XenAPI.
/// </summary>
internal static class StatusProbe
{
    // os-services binaries as stratus status names them.
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["nova-osapi_compute"] = "api",
        ["nova-metadata"] = "metadata",
        ["nova-conductor"] = "conductor",
        ["nova-scheduler"] = "scheduler",
        ["nova-consoleauth"] = "consoleauth",
        ["nova-compute"] = "compute",
    };

    public static async Task<IReadOnlyList<StatusRow>> CollectAsync(RunDirectory run, CancellationToken cancellationToken)
    {
        var rows = new List<StatusRow>();
        var state = run.ReadState();
        if (state is null || !Signals.IsAlive(state.SupervisorPid))
        {
            rows.Add(new StatusRow("stratus up", "-", false, "-", "-", $"not running (data {run.Root}); start it with stratus up"));
            return rows;
        }

        foreach (var (name, service) in state.Services.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var alive = Signals.IsAlive(service.Pid);
            rows.Add(new StatusRow(name, new Uri(service.Url).Authority, alive, "-", service.Version,
                alive ? $"pid {service.Pid}, {service.Restarts} restarts, {service.Url}" : $"pid {service.Pid} is gone (the supervisor is restarting it)"));
        }

        var secrets = Secrets.LoadOrCreate(run, null);
        rows.AddRange(await ControllerServicesAsync(state, secrets, cancellationToken));
        if (state.Services.TryGetValue("host-agent", out var agent))
        {
            rows.Add(await HostAgentAsync(agent, secrets, cancellationToken));
        }

        return rows;
    }

    private static async Task<IEnumerable<StatusRow>> ControllerServicesAsync(RunState state, Secrets secrets, CancellationToken cancellationToken)
    {
        try
        {
            using var admin = await CloudClient.LoginAsync(state.ControllerUrl, "admin", secrets.AdminPassword, "admin", cancellationToken);
            var services = await admin.GetAsync("compute/v2.1/os-services", cancellationToken);
            var version = state.Services.GetValueOrDefault("controller")?.Version ?? "-";
            return services["services"]!.AsArray().Select(s =>
            {
                var binary = s!["binary"]!.GetValue<string>();
                var up = s["state"]?.GetValue<string>() == "up";
                var enabled = s["status"]?.GetValue<string>() == "enabled";
                var detail = !enabled ? $"disabled: {s["disabled_reason"]?.GetValue<string>() ?? "no reason given"}" : up ? "" : "no heartbeat within the service down time";
                return new StatusRow(Names.GetValueOrDefault(binary, binary), s["host"]!.GetValue<string>(), up, s["updated_at"]?.GetValue<string>() ?? "-", version, detail);
            }).ToList();
        }
        catch (Exception e) when (e is HttpRequestException or CloudApiException or TaskCanceledException)
        {
            return [new StatusRow("controller APIs", new Uri(state.ControllerUrl).Authority, false, "-", "-", e.Message)];
        }
    }

    private static async Task<StatusRow> HostAgentAsync(ServiceState agent, Secrets secrets, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new XenApiClient(new Uri(agent.Url), XenTransport.JsonRpc);
            await using var session = await XenSession.LoginAsync(client, "root", secrets.HostPassword, cancellationToken);
            var (hostRef, host) = (await session.GetAllRecordsAsync("host", cancellationToken)).First();
            var software = host["software_version"] as IReadOnlyDictionary<string, object?> ?? XenValue.EmptyMap;
            // The agent's own clock as it answers (host.get_servertime): the freshest sign of life there is.
            var answered = await session.CallAsync("host.get_servertime", cancellationToken, hostRef) switch
            {
                DateTime time => time.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
                string text when XenValue.TryParseDateTime(text, out var parsed) => parsed.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
                var other => other?.ToString() ?? "-",
            };
            return new StatusRow("xapi (host agent)", host["name_label"] as string ?? "-", true, answered,
                software.GetValueOrDefault("stratus") as string ?? "-",
                $"backend {software.GetValueOrDefault("backend")}, accelerator {software.GetValueOrDefault("accelerator")}, {agent.Url}");
        }

        catch (Exception e) when (e is HttpRequestException or XenApiFailure or TaskCanceledException)
        {
            return new StatusRow("xapi (host agent)", new Uri(agent.Url).Authority, false, "-", "-", e.Message);
        }
    }

    /// <summary>Formats a row for the JSON output.</summary>
    public static JsonObject ToJson(StatusRow row) => new()
    {
        ["service"] = row.Service,
        ["host"] = row.Host,
        ["state"] = row.Up ? "up" : "down",
        ["last_heartbeat"] = row.LastHeartbeat,
        ["version"] = row.Version,
        ["detail"] = row.Detail,
    };
}
