using System.Text.Json.Nodes;
using Stratus.Cloud.Identity.Tokens;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Identity.Views;

/// <summary>
/// The token body (ks: keystone/common/render_token.py), the same for issue and validation: everything in it comes
/// from the token itself or is resolved the same way each time, so Tempest's equality check holds.
/// </summary>
internal sealed class TokenView(ServiceCatalog catalog)
{
    public JsonObject Render(in ValidToken valid, bool includeCatalog)
    {
        var (payload, principal) = (valid.Payload, valid.Principal);
        var token = new JsonObject
        {
            ["methods"] = Strings(payload.MethodNames),
            ["user"] = new JsonObject
            {
                ["domain"] = new JsonObject { ["id"] = principal.UserDomainId, ["name"] = principal.UserDomainName },
                ["id"] = principal.UserId,
                ["name"] = principal.UserName,
                ["password_expires_at"] = null,
            },
            ["audit_ids"] = Strings(payload.AuditIds),
            ["expires_at"] = OpenStackJson.Keystone(payload.ExpiresAtTime),
            ["issued_at"] = OpenStackJson.Keystone(payload.IssuedAtTime),
        };
        if (principal.ProjectId is { } projectId)
        {
            token["project"] = new JsonObject
            {
                ["domain"] = new JsonObject { ["id"] = principal.ProjectDomainId, ["name"] = principal.ProjectDomainName },
                ["id"] = projectId,
                ["name"] = principal.ProjectName,
            };
            token["is_domain"] = false;
            token["roles"] = new JsonArray([.. principal.Roles.Select(r => (JsonNode)new JsonObject { ["id"] = r.Id, ["name"] = r.Name })]);
            if (includeCatalog)
            {
                token["catalog"] = catalog.Render();
            }
        }

        return new JsonObject { ["token"] = token };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
