using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Identity.Views;

/// <summary>
/// The service catalog (contract §1.1): identity (keystone), compute (nova, versioned URL), image (glance) and network
/// (neutron, both unversioned), each with public, internal and admin endpoints in the configured region, all on the
/// one listener. It is derived from configuration, not stored; ids are hashes of what they name, so they are the same
/// on every restart and on every controller that shares the configuration.
/// </summary>
internal sealed class ServiceCatalog(ServiceUrls urls, CloudOptions options)
{
    public string Region => options.Region;

    private static readonly string[] ServiceIds = [StableId("service", "identity"), StableId("service", "compute"), StableId("service", "image"), StableId("service", "network")];

    /// <summary>Read each time: the advertised base URL is known only once the listener is bound.</summary>
    public IReadOnlyList<CatalogService> Services =>
    [
        new(ServiceIds[0], "identity", "keystone", urls.Identity),
        new(ServiceIds[1], "compute", "nova", urls.Compute),
        new(ServiceIds[2], "image", "glance", urls.Image),
        new(ServiceIds[3], "network", "neutron", urls.Network),
    ];

    public static string EndpointId(CatalogService service, string @interface) => StableId("endpoint", service.Type, @interface);

    /// <summary>The catalog as tokens and GET /v3/auth/catalog carry it (ks: catalog/backends/sql.py get_v3_catalog).</summary>
    public JsonArray Render()
    {
        var catalog = new JsonArray();
        foreach (var service in Services)
        {
            var endpoints = new JsonArray();
            foreach (var @interface in CatalogService.Interfaces)
            {
                endpoints.Add(new JsonObject
                {
                    ["id"] = EndpointId(service, @interface),
                    ["interface"] = @interface,
                    ["region_id"] = Region,
                    ["url"] = service.Url,
                    ["region"] = Region,
                });
            }

            catalog.Add(new JsonObject
            {
                ["endpoints"] = endpoints,
                ["id"] = service.Id,
                ["type"] = service.Type,
                ["name"] = service.Name,
            });
        }

        return catalog;
    }

    private static string StableId(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('/', parts))).AsSpan(0, 16));
}
