using System.Text.Json.Nodes;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Compute.Services;
using Stratus.Cloud.OpenStack;
using Stratus.XenApi;

namespace Stratus.Cloud.Conductor.Hosts;

/// <summary>
/// The admin API for managed hosts, beside the OpenStack APIs (<c>stratus host add</c> uses it):
/// <c>POST /stratus/v1/hosts</c> {"host": {"url", "user", "password"}} adds a XenAPI host or pool (201, or 400 when
/// it cannot be reached or refuses the credentials, 409 when another host has its name); <c>GET</c> lists hosts with
/// their state, facts and last error; <c>DELETE /stratus/v1/hosts/{name}</c> stops managing one that holds no servers.
/// Admin only. Passwords never leave the controller.
/// </summary>
internal static class HostEndpoints
{
    public const string Prefix = "/stratus/v1/hosts";

    public static IEndpointRouteBuilder MapHosts(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Prefix).RequireToken();
        group.MapPost("", AddAsync);
        group.MapGet("", List);
        group.MapGet("/{name}", Show);
        group.MapDelete("/{name}", RemoveAsync);
        return endpoints;
    }

    private static async Task<IResult> AddAsync(HttpContext http, HostRegistry registry, HostViews views)
    {
        RequireAdmin(http);
        var body = await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted);
        var host = body["host"] as JsonObject ?? body;
        var url = (string?)host["url"] ?? throw ApiException.BadRequest("host.url is required (the XenAPI URL, e.g. http://xenserver or http://127.0.0.1:8080).");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
        {
            throw ApiException.BadRequest($"host.url: '{url}' is not an http(s) URL.");
        }

        var connection = new HostConnection(url, (string?)host["user"] ?? "root", (string?)host["password"] ?? "");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            timeout.CancelAfter(HostLink.LoginTimeout + TimeSpan.FromSeconds(10));
            var (link, _) = await registry.AddAsync(connection, timeout.Token);
            return OpenStackJson.Result(new JsonObject { ["host"] = views.Describe(link) }, 201);
        }
        catch (XenApiFailure failure) when (failure.Code == XenErrors.SessionAuthenticationFailed)
        {
            throw ApiException.BadRequest($"{url} refused the credentials for user {connection.User}.");
        }
        catch (HostConflictException e)
        {
            throw ApiException.Conflict(e.Message);
        }
        catch (Exception e) when (e is XenApiFailure or HttpRequestException or OperationCanceledException or IOException && !http.RequestAborted.IsCancellationRequested)
        {
            throw ApiException.BadRequest($"{url} could not be added: {HostMonitor.Describe(e)}");
        }
    }

    private static IResult List(HttpContext http, HostRegistry registry, HostViews views)
    {
        RequireAdmin(http);
        var hosts = new JsonArray();
        foreach (var link in registry.Links.OrderBy(l => l.Host, StringComparer.Ordinal))
        {
            hosts.Add(views.Describe(link));
        }

        var pending = new JsonArray([.. registry.Pending.Select(p => (JsonNode)new JsonObject
        {
            ["url"] = p.Url,
            ["state"] = "pending",
            ["last_error"] = p.LastError,
            ["since"] = OpenStackJson.Naive(p.Since),
        })]);
        return OpenStackJson.Result(new JsonObject { ["hosts"] = hosts, ["pending"] = pending });
    }

    private static IResult Show(HttpContext http, string name, HostRegistry registry, HostViews views)
    {
        RequireAdmin(http);
        var link = registry.Find(name) ?? throw ApiException.NotFound($"Host {name} is not managed.");
        return OpenStackJson.Result(new JsonObject { ["host"] = views.Describe(link) });
    }

    private static async Task<IResult> RemoveAsync(HttpContext http, string name, HostRegistry registry, IInstanceStore instances)
    {
        RequireAdmin(http);
        if (registry.Find(name) is null)
        {
            throw ApiException.NotFound($"Host {name} is not managed.");
        }

        var servers = await instances.ListOnHostAsync(name, http.RequestAborted);
        if (servers.Count > 0)
        {
            throw ApiException.Conflict($"Host {name} still has {servers.Count} servers; delete or move them first.");
        }

        await registry.RemoveAsync(name, http.RequestAborted);
        return Results.NoContent();
    }

    private static void RequireAdmin(HttpContext http)
    {
        if (!http.Caller().IsAdmin)
        {
            throw ApiException.Forbidden("Managing hosts requires the admin role.");
        }
    }
}
