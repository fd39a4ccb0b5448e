using System.Text.Json.Nodes;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Identity.Api;

/// <summary>
/// Keystone's version documents (ks: keystone/api/discovery.py; contract §2.1): the root answers 300 with a Location,
/// <c>/v3</c> answers 200. No token needed. The self link is the advertised URL, since keystoneauth builds every later
/// identity URL from it.
/// </summary>
internal sealed class VersionApi(ServiceUrls urls)
{
    public IResult Versions(HttpContext http)
    {
        http.Response.Headers.Location = urls.IdentityV3 + "/";
        return OpenStackJson.Result(new JsonObject { ["versions"] = new JsonObject { ["values"] = new JsonArray(V3()) } }, StatusCodes.Status300MultipleChoices);
    }

    public IResult Version() => OpenStackJson.Result(new JsonObject { ["version"] = V3() });

    private JsonObject V3() => new()
    {
        ["id"] = "v3.14",
        ["status"] = "stable",
        ["updated"] = "2020-04-07T00:00:00Z",
        ["links"] = new JsonArray(new JsonObject { ["rel"] = "self", ["href"] = urls.IdentityV3 + "/" }),
        ["media-types"] = new JsonArray(new JsonObject { ["base"] = "application/json", ["type"] = "application/vnd.openstack.identity-v3+json" }),
    };
}
