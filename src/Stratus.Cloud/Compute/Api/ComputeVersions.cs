using System.Text.Json;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.OpenStack.Microversions;

namespace Stratus.Cloud.Compute.Api;

/// <summary>
/// The compute version documents (nova views/versions.py, contract §3), served without a token: GET /compute → 200
/// with the version list, GET /compute/v2.1 → 200 with the one version. Only v2.1 is served, so there is no v2.0 entry.
/// </summary>
internal static class ComputeVersions
{
    private const string Updated = "2013-07-23T11:33:21Z";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(ServiceUrls.ComputePrefix, (ServiceUrls urls) => NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("versions");
            w.WriteStartObject();
            WriteVersionHead(w);
            w.WriteStartArray("links");
            WriteLink(w, "self", urls.Compute + "/");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }));
        app.MapGet(ServiceUrls.ComputePrefix + "/v2.1", (ServiceUrls urls) => NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("version");
            WriteVersionHead(w);
            w.WriteStartArray("links");
            WriteLink(w, "self", urls.Compute + "/");
            w.WriteStartObject();
            w.WriteString("rel", "describedby");
            w.WriteString("type", "text/html");
            w.WriteString("href", "http://docs.openstack.org/");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartArray("media-types");
            w.WriteStartObject();
            w.WriteString("base", "application/json");
            w.WriteString("type", "application/vnd.openstack.compute+json;version=2.1");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }));
    }

    private static void WriteVersionHead(Utf8JsonWriter w)
    {
        w.WriteString("id", "v2.1");
        w.WriteString("status", "CURRENT");
        w.WriteString("version", Microversion.Max.ToString());
        w.WriteString("min_version", Microversion.Min.ToString());
        w.WriteString("updated", Updated);
    }

    private static void WriteLink(Utf8JsonWriter w, string rel, string href)
    {
        w.WriteStartObject();
        w.WriteString("rel", rel);
        w.WriteString("href", href);
        w.WriteEndObject();
    }
}
