using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Cli.Commands;

/// <summary>
/// <c>stratus host add URL --user U --password P [--cloud URL]</c> and <c>stratus host list</c>: manage the XenAPI
/// hosts (Stratus agents or XenServer/XCP-ng pools) a running controller drives, through its admin API
/// (<c>/stratus/v1/hosts</c>). The cloud credentials come from the OS_* environment, as for the openstack CLI.
/// </summary>
internal static class HostAddCommand
{
    private const string HostsPath = "stratus/v1/hosts";

    public static Command CreateAdd()
    {
        var url = new Argument<string>("url") { Description = "The host's XenAPI URL, e.g. http://xenserver or http://127.0.0.1:8080." };
        var user = new Option<string>("--user") { Description = "The XenAPI user (root on XenServer).", DefaultValueFactory = _ => "root" };
        var password = new Option<string>("--password") { Description = "The XenAPI password (or STRATUS_HOST_PASSWORD)." };
        var cloud = CloudOption();
        var format = FormatOption();
        var command = new Command("add", "Manage a XenAPI host or pool from the running controller (one nova-compute service).")
        {
            url, user, password, cloud, format,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var body = new JsonObject
            {
                ["host"] = new JsonObject
                {
                    ["url"] = parse.GetValue(url),
                    ["user"] = parse.GetValue(user),
                    ["password"] = parse.GetValue(password) ?? Environment.GetEnvironmentVariable("STRATUS_HOST_PASSWORD") ?? "",
                },
            };
            return await CallAsync(parse.GetValue(cloud), HttpMethod.Post, body, parse.GetValue(format)!, reply =>
            {
                var host = reply["host"]!;
                return $"Added host {host["name"]} ({host["url"]}): {host["state"]}, pool hosts {string.Join(", ", host["pool_hosts"]!.AsArray().Select(h => (string?)h))}";
            }, cancellationToken);
        });
        return command;
    }

    public static Command CreateList()
    {
        var cloud = CloudOption();
        var format = FormatOption();
        var command = new Command("list", "List the hosts the running controller manages, their state and last error.") { cloud, format };
        command.SetAction((parse, cancellationToken) => CallAsync(parse.GetValue(cloud), HttpMethod.Get, null, parse.GetValue(format)!, reply =>
        {
            var text = new StringBuilder();
            text.AppendLine("NAME                 STATE    URL                                 VMS  LAST ERROR");
            foreach (var host in reply["hosts"]!.AsArray())
            {
                text.AppendLine($"{host!["name"],-20} {host["state"],-8} {host["url"],-35} {host["running_vms"],3}  {host["last_error"] ?? "-"}");
            }

            foreach (var pending in reply["pending"]!.AsArray())
            {
                text.AppendLine($"{"(not reached yet)",-20} {"pending",-8} {pending!["url"],-35} {"-",3}  {pending["last_error"] ?? "-"}");
            }

            return text.ToString().TrimEnd();
        }, cancellationToken));
        return command;
    }

    private static Option<string?> CloudOption() => new("--cloud")
    {
        Description = "The controller's base URL (default: from OS_AUTH_URL, without /identity/v3).",
    };

    private static Option<string> FormatOption()
    {
        var format = new Option<string>("--format") { Description = "table (for people) or json (for scripts).", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        return format;
    }

    private static async Task<int> CallAsync(string? cloudUrl, HttpMethod method, JsonObject? body, string format, Func<JsonObject, string> table, CancellationToken cancellationToken)
    {
        var authUrl = Environment.GetEnvironmentVariable("OS_AUTH_URL");
        if (string.IsNullOrEmpty(authUrl))
        {
            await Console.Error.WriteLineAsync("OS_AUTH_URL is not set: source an openrc (e.g. the one stratus up writes) or set the OS_* variables.");
            return ExitCodes.Usage;
        }

        var baseUrl = (cloudUrl ?? BaseFromAuthUrl(authUrl)).TrimEnd('/') + "/";
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        try
        {
            var token = await LoginAsync(http, authUrl, cancellationToken);
            using var request = new HttpRequestMessage(method, new Uri(new Uri(baseUrl), HostsPath));
            request.Headers.Add("X-Auth-Token", token);
            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                await Console.Error.WriteLineAsync($"{method} {HostsPath}: HTTP {(int)response.StatusCode}: {ErrorText(text)}");
                return ExitCodes.Failure;
            }

            var reply = JsonNode.Parse(text) as JsonObject ?? [];
            await Console.Out.WriteLineAsync(format == "json" ? reply.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) : table(reply));
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or LoginFailedException)
        {
            await Console.Error.WriteLineAsync($"{baseUrl}: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>A Keystone v3 password login with the openstack CLI's variables.</summary>
    private static async Task<string> LoginAsync(HttpClient http, string authUrl, CancellationToken cancellationToken)
    {
        static string Env(string name, string fallback = "") => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
        static JsonObject Domain(string idVariable, string nameVariable) =>
            Env(nameVariable) is { Length: > 0 } name && Env(idVariable).Length == 0 ? new JsonObject { ["name"] = name } : new JsonObject { ["id"] = Env(idVariable, "default") };

        var body = new JsonObject
        {
            ["auth"] = new JsonObject
            {
                ["identity"] = new JsonObject
                {
                    ["methods"] = new JsonArray("password"),
                    ["password"] = new JsonObject
                    {
                        ["user"] = new JsonObject { ["name"] = Env("OS_USERNAME", "admin"), ["domain"] = Domain("OS_USER_DOMAIN_ID", "OS_USER_DOMAIN_NAME"), ["password"] = Env("OS_PASSWORD") },
                    },
                },
                ["scope"] = new JsonObject
                {
                    ["project"] = new JsonObject { ["name"] = Env("OS_PROJECT_NAME", "admin"), ["domain"] = Domain("OS_PROJECT_DOMAIN_ID", "OS_PROJECT_DOMAIN_NAME") },
                },
            },
        };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(authUrl.TrimEnd('/') + "/auth/tokens", content, cancellationToken);
        if (!response.IsSuccessStatusCode || !response.Headers.TryGetValues("X-Subject-Token", out var tokens))
        {
            throw new LoginFailedException($"logging in at {authUrl} failed: HTTP {(int)response.StatusCode}: {ErrorText(await response.Content.ReadAsStringAsync(cancellationToken))}");
        }

        return tokens.First();
    }

    /// <summary>DevStack's layout: the identity endpoint is BASE/identity/v3.</summary>
    private static string BaseFromAuthUrl(string authUrl)
    {
        var trimmed = authUrl.TrimEnd('/');
        foreach (var suffix in new[] { "/identity/v3", "/identity", "/v3" })
        {
            if (trimmed.EndsWith(suffix, StringComparison.Ordinal))
            {
                return trimmed[..^suffix.Length];
            }
        }

        return trimmed;
    }

    private static string ErrorText(string body)
    {
        try
        {
            var node = JsonNode.Parse(body);
            return (string?)node?["error"]?["message"] ?? body.Trim();
        }
        catch (JsonException)
        {
            // Not JSON: the controller's plain-text fault for this API, or a proxy's page.
            return body.Trim().Replace("\n\n", ": ", StringComparison.Ordinal);
        }
    }

    private sealed class LoginFailedException(string message) : Exception(message);
}
