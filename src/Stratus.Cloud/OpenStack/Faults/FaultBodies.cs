using System.Text;
using System.Text.Json.Nodes;

namespace Stratus.Cloud.OpenStack.Faults;

/// <summary>
/// The error envelopes, one per service (contract §1.4):
/// nova <c>{"itemNotFound": {"code": 404, "message": ...}}</c>, keystone <c>{"error": {"code", "title", "message"}}</c>,
/// neutron <c>{"NeutronError": {"type", "message", "detail"}}</c>, glance a plain-text body.
/// </summary>
internal static class FaultBodies
{
    public static (string ContentType, byte[] Body) For(ServiceKind service, int status, string message, string? kind, string? details) => service switch
    {
        ServiceKind.Compute => Json(new JsonObject
        {
            [NovaFaultName(status)] = new JsonObject { ["code"] = status, ["message"] = message },
        }),
        ServiceKind.Identity => Json(new JsonObject
        {
            ["error"] = new JsonObject { ["code"] = status, ["title"] = KeystoneTitle(status), ["message"] = message },
        }),
        ServiceKind.Network => Json(new JsonObject
        {
            ["NeutronError"] = new JsonObject { ["type"] = kind ?? "HTTPError", ["message"] = message, ["detail"] = details ?? "" },
        }),
        _ => ("text/plain", Encoding.UTF8.GetBytes($"{status} {ReasonPhrase(status)}\n\n{message}\n\n")),
    };

    /// <summary>nova/api/openstack/wsgi.py Fault: the body's key depends on the status; anything unlisted is computeFault.</summary>
    public static string NovaFaultName(int status) => status switch
    {
        400 => "badRequest",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "itemNotFound",
        405 => "badMethod",
        409 => "conflictingRequest",
        413 or 429 => "overLimit",
        415 => "badMediaType",
        501 => "notImplemented",
        503 => "serviceUnavailable",
        _ => "computeFault",
    };

    private static string KeystoneTitle(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        _ => ReasonPhrase(status),
    };

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";

    private static (string, byte[]) Json(JsonObject body) => ("application/json", Encoding.UTF8.GetBytes(body.ToJsonString(OpenStackJson.Options)));
}
