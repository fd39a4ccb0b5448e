using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Cloud.Identity.Passwords;
using Stratus.Cloud.Identity.Tokens;

namespace Stratus.Cloud.Identity.Api;

/// <summary>Reads a <c>POST /v3/auth/tokens</c> body (contract §2.2); malformed parts are 400s.</summary>
internal static class AuthRequestReader
{
    public static AuthRequest Read(JsonObject body)
    {
        var auth = IdentityInput.Object(body, "auth", "request body");
        var identity = IdentityInput.Object(auth, "identity", "auth");
        if (identity["methods"] is not JsonArray methodArray || methodArray.Count == 0)
        {
            throw IdentityInput.Missing("methods", "identity");
        }

        var methods = new List<string>();
        foreach (var method in methodArray)
        {
            if (method is null || method.GetValueKind() != JsonValueKind.String)
            {
                throw IdentityInput.Invalid("methods", $"{method?.ToJsonString() ?? "null"} is not of type 'string'");
            }

            methods.Add(method.GetValue<string>());
        }

        var password = methods.Contains("password") ? ReadPassword(IdentityInput.Object(identity, "password", "identity")) : null;
        var token = methods.Contains("token") ? IdentityInput.String(IdentityInput.Object(identity, "token", "identity"), "id", "token", 4096) : null;
        return new AuthRequest(methods, password, token, ReadScope(auth["scope"]));
    }

    private static PasswordCredentials ReadPassword(JsonObject password)
    {
        var user = IdentityInput.Object(password, "user", "password");
        var secret = IdentityInput.OptionalString(user, "password", PasswordHasher.MaxPasswordLength, allowEmpty: true)
            ?? throw IdentityInput.Missing("password", "user");
        var id = IdentityInput.OptionalString(user, "id", 64);
        var name = IdentityInput.OptionalString(user, "name");
        if (id is not null)
        {
            return new PasswordCredentials(id, null, null, null, secret);
        }

        if (name is null)
        {
            throw IdentityInput.Missing("id or name", "user");
        }

        var (domainId, domainName) = ReadDomain(IdentityInput.Object(user, "domain", "user"));
        return new PasswordCredentials(null, name, domainId, domainName, secret);
    }

    private static AuthScope? ReadScope(JsonNode? scope)
    {
        switch (scope)
        {
            case null:
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == "unscoped":
                return null;
            case JsonObject o when o.Count == 0:
                return null;
            case JsonObject o when IdentityInput.OptionalObject(o, "project") is { } project:
                if (IdentityInput.OptionalString(project, "id", 64) is { } id)
                {
                    return new AuthScope(id, null, null, null);
                }

                var name = IdentityInput.OptionalString(project, "name") ?? throw IdentityInput.Missing("id or name", "project");
                var (domainId, domainName) = ReadDomain(IdentityInput.Object(project, "domain", "project"));
                return new AuthScope(null, name, domainId, domainName);
            case JsonObject o when o.ContainsKey("domain"):
                return new AuthScope(null, null, null, null, "domain");
            case JsonObject o when o.ContainsKey("system"):
                return new AuthScope(null, null, null, null, "system");
            case JsonObject o when o.ContainsKey("OS-TRUST:trust"):
                return new AuthScope(null, null, null, null, "trust");
            default:
                throw IdentityInput.Invalid("scope", "expected one of project, domain, system");
        }
    }

    private static (string? Id, string? Name) ReadDomain(JsonObject domain)
    {
        var id = IdentityInput.OptionalString(domain, "id", 64);
        var name = IdentityInput.OptionalString(domain, "name", 64);
        return id is null && name is null ? throw IdentityInput.Missing("id or name", "domain") : (id, name);
    }
}
