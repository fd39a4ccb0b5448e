using System.Text.Json.Nodes;
using Stratus.Cloud.Identity.Views;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Identity.Api;

/// <summary>
/// Read-only <c>/v3/services</c>, <c>/v3/endpoints</c> and <c>/v3/regions</c> (ks: keystone/api/services.py,
/// endpoints.py, regions.py), derived from the configured catalog. Services and endpoints are admin-only, as in
/// keystone; regions are readable with any token. The catalog is configuration here, so there are no writes.
/// </summary>
internal sealed class CatalogApi(ServiceCatalog catalog, IdentityViews views)
{
    public IResult Services(HttpContext http)
    {
        IdentityPolicy.RequireAdmin(http.Caller(), "identity:list_services");
        var type = IdentityInput.Query(http.Request, "type");
        return OpenStackJson.Result(views.Collection("services", catalog.Services.Where(s => type is null || s.Type == type), Service, http.Request));
    }

    public IResult ShowService(HttpContext http, string serviceId)
    {
        IdentityPolicy.RequireAdmin(http.Caller(), "identity:get_service");
        var service = catalog.Services.FirstOrDefault(s => s.Id == serviceId)
            ?? throw ApiException.NotFound($"Could not find service: {serviceId}.", "ServiceNotFound");
        return OpenStackJson.Result(new JsonObject { ["service"] = Service(service) });
    }

    public IResult Endpoints(HttpContext http)
    {
        IdentityPolicy.RequireAdmin(http.Caller(), "identity:list_endpoints");
        var q = http.Request;
        var (@interface, serviceId, region) = (IdentityInput.Query(q, "interface"), IdentityInput.Query(q, "service_id"), IdentityInput.Query(q, "region_id"));
        var list = AllEndpoints().Where(e => (@interface is null || e.Interface == @interface) && (serviceId is null || e.Service.Id == serviceId)
            && (region is null || region == catalog.Region));
        return OpenStackJson.Result(views.Collection("endpoints", list, Endpoint, q));
    }

    public IResult ShowEndpoint(HttpContext http, string endpointId)
    {
        IdentityPolicy.RequireAdmin(http.Caller(), "identity:get_endpoint");
        var endpoint = AllEndpoints().FirstOrDefault(e => ServiceCatalog.EndpointId(e.Service, e.Interface) == endpointId);
        return endpoint.Service is null
            ? throw ApiException.NotFound($"Could not find endpoint: {endpointId}.", "EndpointNotFound")
            : OpenStackJson.Result(new JsonObject { ["endpoint"] = Endpoint(endpoint) });
    }

    public IResult Regions(HttpContext http) => OpenStackJson.Result(views.Collection("regions", [catalog.Region], Region, http.Request));

    public IResult ShowRegion(string regionId) => regionId == catalog.Region
        ? OpenStackJson.Result(new JsonObject { ["region"] = Region(regionId) })
        : throw ApiException.NotFound($"Could not find region: {regionId}.", "RegionNotFound");

    private IEnumerable<(CatalogService Service, string Interface)> AllEndpoints() =>
        catalog.Services.SelectMany(s => CatalogService.Interfaces.Select(i => (s, i)));

    private JsonObject Service(CatalogService s) => new()
    {
        ["id"] = s.Id,
        ["type"] = s.Type,
        ["name"] = s.Name,
        ["enabled"] = true,
        ["links"] = new JsonObject { ["self"] = views.Link("/services/" + s.Id) },
    };

    private JsonObject Endpoint((CatalogService Service, string Interface) e)
    {
        var id = ServiceCatalog.EndpointId(e.Service, e.Interface);
        return new JsonObject
        {
            ["id"] = id,
            ["interface"] = e.Interface,
            ["region_id"] = catalog.Region,
            ["region"] = catalog.Region,
            ["url"] = e.Service.Url,
            ["service_id"] = e.Service.Id,
            ["enabled"] = true,
            ["links"] = new JsonObject { ["self"] = views.Link("/endpoints/" + id) },
        };
    }

    private JsonObject Region(string id) => new()
    {
        ["id"] = id,
        ["description"] = "",
        ["parent_region_id"] = null,
        ["links"] = new JsonObject { ["self"] = views.Link("/regions/" + id) },
    };
}
