using System.Text.Json.Nodes;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Network.Api;

/// <summary>
/// Neutron v2.0 routes under <c>/networking</c> (contract §6). Collections share one shape: list with filters and
/// paging, show with <c>fields</c>, create (single or bulk, 201), update (200), delete (204); errors leave as
/// <c>NeutronError</c> bodies.
/// </summary>
internal static class NeutronEndpoints
{
    private delegate Task<IReadOnlyList<JsonObject>> ListHandler(HttpContext http, RequestContext caller, NeutronService service);

    private delegate Task<JsonObject> GetHandler(RequestContext caller, string id, NeutronService service, CancellationToken cancellationToken);

    private delegate Task<IReadOnlyList<JsonObject>> CreateHandler(RequestContext caller, IReadOnlyList<JsonObject> items, NeutronService service, CancellationToken cancellationToken);

    private delegate Task<JsonObject> UpdateHandler(RequestContext caller, string id, JsonObject item, NeutronService service, CancellationToken cancellationToken);

    private delegate Task DeleteHandler(RequestContext caller, string id, NeutronService service, CancellationToken cancellationToken);

    public static void Map(IEndpointRouteBuilder app)
    {
        var root = app.MapGroup(ServiceUrls.NetworkPrefix);
        // Version documents answer without a token (contract §3): 200 for both.
        root.MapGet("/", (ServiceUrls urls) => OpenStackJson.Result(Versions(urls)));
        root.MapGet("/v2.0", (ServiceUrls urls) => OpenStackJson.Result(Resources(urls)));

        var v2 = root.MapGroup("/v2.0").RequireToken();
        MapCollection(v2, "networks", "network", NeutronViews.NetworkAttributes,
            (http, caller, s) => s.ListNetworksAsync(caller, http.RequestAborted),
            (caller, id, s, ct) => s.GetNetworkAsync(caller, id, ct),
            (caller, items, s, ct) => s.CreateNetworksAsync(caller, items, ct),
            (caller, id, item, s, ct) => s.UpdateNetworkAsync(caller, id, item, ct),
            (caller, id, s, ct) => s.DeleteNetworkAsync(caller, id, ct));
        MapCollection(v2, "subnets", "subnet", NeutronViews.SubnetAttributes,
            (http, caller, s) => s.ListSubnetsAsync(caller, http.RequestAborted),
            (caller, id, s, ct) => s.GetSubnetAsync(caller, id, ct),
            (caller, items, s, ct) => s.CreateSubnetsAsync(caller, items, ct),
            (caller, id, item, s, ct) => s.UpdateSubnetAsync(caller, id, item, ct),
            (caller, id, s, ct) => s.DeleteSubnetAsync(caller, id, ct));
        MapCollection(v2, "ports", "port", NeutronViews.PortAttributes,
            (http, caller, s) => s.ListPortsAsync(caller, Single(http, "device_id"), Single(http, "network_id"), http.RequestAborted),
            (caller, id, s, ct) => s.GetPortAsync(caller, id, ct),
            (caller, items, s, ct) => s.CreatePortsAsync(caller, items, ct),
            (caller, id, item, s, ct) => s.UpdatePortAsync(caller, id, item, ct),
            (caller, id, s, ct) => s.DeletePortAsync(caller, id, ct));
        MapCollection(v2, "floatingips", "floatingip", NeutronViews.FloatingIpAttributes,
            (http, caller, s) => s.ListFloatingIpsAsync(caller, http.RequestAborted),
            (caller, id, s, ct) => s.GetFloatingIpAsync(caller, id, ct),
            (caller, items, s, ct) => s.CreateFloatingIpsAsync(caller, items, ct),
            (caller, id, item, s, ct) => s.UpdateFloatingIpAsync(caller, id, item, ct),
            (caller, id, s, ct) => s.DeleteFloatingIpAsync(caller, id, ct));
        MapCollection(v2, "security-groups", "security_group", NeutronViews.SecurityGroupAttributes,
            (http, caller, s) => s.ListSecurityGroupsAsync(caller, Single(http, "project_id") ?? Single(http, "tenant_id"), http.RequestAborted),
            (caller, id, s, ct) => s.GetSecurityGroupAsync(caller, id, ct),
            (caller, items, s, ct) => s.CreateSecurityGroupsAsync(caller, items, ct),
            (caller, id, item, s, ct) => s.UpdateSecurityGroupAsync(caller, id, item, ct),
            (caller, id, s, ct) => s.DeleteSecurityGroupAsync(caller, id, ct));
        MapCollection(v2, "security-group-rules", "security_group_rule", NeutronViews.SecurityGroupRuleAttributes,
            (http, caller, s) => s.ListRulesAsync(caller, http.RequestAborted),
            (caller, id, s, ct) => s.GetRuleAsync(caller, id, ct),
            (caller, items, s, ct) => s.CreateRulesAsync(caller, items, ct),
            null,
            (caller, id, s, ct) => s.DeleteRuleAsync(caller, id, ct));
        MapCollection(v2, "routers", "router", NeutronViews.RouterAttributes,
            (http, caller, s) => s.ListRoutersAsync(caller, http.RequestAborted),
            (caller, id, s, ct) => s.GetRouterAsync(caller, id, ct),
            (caller, items, s, ct) => s.CreateRoutersAsync(caller, items, ct),
            (caller, id, item, s, ct) => s.UpdateRouterAsync(caller, id, item, ct),
            (caller, id, s, ct) => s.DeleteRouterAsync(caller, id, ct));
        v2.MapPut("/routers/{id}/add_router_interface", async (HttpContext http, string id, NeutronService service) =>
            OpenStackJson.Result(await service.AddInterfaceAsync(http.Caller(), id, await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted), http.RequestAborted)));
        v2.MapPut("/routers/{id}/remove_router_interface", async (HttpContext http, string id, NeutronService service) =>
            OpenStackJson.Result(await service.RemoveInterfaceAsync(http.Caller(), id, await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted), http.RequestAborted)));

        v2.MapGet("/extensions", () => OpenStackJson.Result(NeutronExtensions.List()));
        v2.MapGet("/extensions/{alias}", (string alias) => OpenStackJson.Result(new JsonObject
        {
            ["extension"] = NeutronExtensions.Find(alias) ?? throw new ApiException(404, $"Extension with alias {alias} does not exist", "ExtensionNotFound"),
        }));

        v2.MapGet("/quotas", async (HttpContext http, NeutronService service) => OpenStackJson.Result(await service.ListQuotasAsync(http.Caller(), http.RequestAborted)));
        v2.MapGet("/quotas/{project}", async (HttpContext http, string project, NeutronService service) =>
            OpenStackJson.Result(await service.GetQuotaAsync(http.Caller(), StripJson(project), details: false, http.RequestAborted)));
        v2.MapGet("/quotas/{project}/default", (string project) => OpenStackJson.Result(NeutronService.DefaultQuota()));
        v2.MapGet("/quotas/{project}/details", async (HttpContext http, string project, NeutronService service) =>
            OpenStackJson.Result(await service.GetQuotaAsync(http.Caller(), project, details: true, http.RequestAborted)));
        v2.MapGet("/quotas/{project}/details.json", async (HttpContext http, string project, NeutronService service) =>
            OpenStackJson.Result(await service.GetQuotaAsync(http.Caller(), project, details: true, http.RequestAborted)));
        v2.MapPut("/quotas/{project}", async (HttpContext http, string project, NeutronService service) =>
            OpenStackJson.Result(await service.UpdateQuotaAsync(http.Caller(), StripJson(project), await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted), http.RequestAborted)));
        v2.MapDelete("/quotas/{project}", async (HttpContext http, string project, NeutronService service) =>
        {
            await service.ResetQuotaAsync(http.Caller(), StripJson(project), http.RequestAborted);
            return Results.NoContent();
        });
    }

    public static JsonObject Versions(ServiceUrls urls) => new()
    {
        ["versions"] = new JsonArray(new JsonObject
        {
            ["id"] = "v2.0",
            ["status"] = "CURRENT",
            ["links"] = new JsonArray(new JsonObject { ["rel"] = "self", ["href"] = urls.Network + "/v2.0/" }),
        }),
    };

    public static JsonObject Resources(ServiceUrls urls) => new()
    {
        ["resources"] = new JsonArray(new[] { ("network", "networks"), ("subnet", "subnets"), ("port", "ports") }.Select(r => (JsonNode?)new JsonObject
        {
            ["name"] = r.Item1,
            ["collection"] = r.Item2,
            ["links"] = new JsonArray(new JsonObject { ["rel"] = "self", ["href"] = $"{urls.Network}/v2.0/{r.Item2}" }),
        }).ToArray()),
    };

    private static void MapCollection(RouteGroupBuilder v2, string collection, string singular, IReadOnlySet<string> attributes,
        ListHandler list, GetHandler get, CreateHandler create, UpdateHandler? update, DeleteHandler delete)
    {
        // The URL uses hyphens (security-groups), the body's collection key underscores (security_groups).
        var path = "/" + collection;
        var key = collection.Replace('-', '_');
        v2.MapGet(path, async (HttpContext http, NeutronService service, ServiceUrls urls) =>
        {
            var items = await list(http, http.Caller(), service);
            return OpenStackJson.Result(NeutronListing.Page(key, items, http.Request.Query, attributes, $"{urls.Network}/v2.0/{collection}"));
        });
        v2.MapGet(path + "/{id}", async (HttpContext http, string id, NeutronService service) =>
        {
            var item = await get(http.Caller(), id, service, http.RequestAborted);
            var fields = http.Request.Query["fields"].Where(f => !string.IsNullOrEmpty(f)).Select(f => f!).ToList();
            return OpenStackJson.Result(new JsonObject { [singular] = NeutronListing.Project(item, fields) });
        });
        v2.MapPost(path, async (HttpContext http, NeutronService service) =>
        {
            var body = await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted);
            var (items, bulk) = NeutronInput.Resources(body, singular, key);
            var created = await create(http.Caller(), items, service, http.RequestAborted);
            return OpenStackJson.Result(bulk
                ? new JsonObject { [key] = new JsonArray(created.Select(c => (JsonNode?)c).ToArray()) }
                : new JsonObject { [singular] = created[0] }, 201);
        });
        if (update is not null)
        {
            v2.MapPut(path + "/{id}", async (HttpContext http, string id, NeutronService service) =>
            {
                var body = await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted);
                var updated = await update(http.Caller(), id, NeutronInput.Resource(body, singular), service, http.RequestAborted);
                return OpenStackJson.Result(new JsonObject { [singular] = updated });
            });
        }

        v2.MapDelete(path + "/{id}", async (HttpContext http, string id, NeutronService service) =>
        {
            await delete(http.Caller(), id, service, http.RequestAborted);
            return Results.NoContent();
        });
    }

    private static string? Single(HttpContext http, string key) => http.Request.Query[key] is { Count: 1 } values ? values[0] : null;

    private static string StripJson(string project) => project.EndsWith(".json", StringComparison.Ordinal) ? project[..^5] : project;
}
