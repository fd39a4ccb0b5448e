using System.Text.Json.Nodes;
using Stratus.Cloud.Identity.Model;
using Stratus.Cloud.Identity.Storage;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Identity.Views;

/// <summary>
/// Keystone's resource bodies (contract §2.4), in keystone's key order. Users never show a password or its hash;
/// free-form attributes (email, description, ...) come back as keystone returns them, at the top level.
/// </summary>
internal sealed class IdentityViews(ServiceUrls urls)
{
    public string Link(string path) => urls.IdentityV3 + path;

    public JsonObject Project(Project p)
    {
        var body = new JsonObject
        {
            ["id"] = p.Id,
            ["name"] = p.Name,
            ["domain_id"] = p.DomainId,
            ["description"] = p.Description,
            ["enabled"] = p.Enabled,
            ["parent_id"] = p.ParentId,
            ["is_domain"] = false,
            ["tags"] = new JsonArray([.. p.Tags.Select(t => (JsonNode?)JsonValue.Create(t))]),
            ["options"] = new JsonObject(),
        };
        AddExtra(body, p.Extra);
        body["links"] = new JsonObject { ["self"] = Link("/projects/" + p.Id) };
        return body;
    }

    public JsonObject User(User u)
    {
        var body = new JsonObject
        {
            ["id"] = u.Id,
            ["name"] = u.Name,
            ["domain_id"] = u.DomainId,
            ["enabled"] = u.Enabled,
            ["password_expires_at"] = null,
            ["options"] = new JsonObject(),
        };
        if (u.DefaultProjectId is { } project)
        {
            body["default_project_id"] = project;
        }

        AddExtra(body, u.Extra);
        body["links"] = new JsonObject { ["self"] = Link("/users/" + u.Id) };
        return body;
    }

    public JsonObject Domain(Domain d) => new()
    {
        ["id"] = d.Id,
        ["name"] = d.Name,
        ["description"] = d.Description,
        ["enabled"] = d.Enabled,
        ["tags"] = new JsonArray(),
        ["options"] = new JsonObject(),
        ["links"] = new JsonObject { ["self"] = Link("/domains/" + d.Id) },
    };

    public JsonObject Role(Role r) => new()
    {
        ["id"] = r.Id,
        ["name"] = r.Name,
        ["domain_id"] = null,
        ["description"] = r.Description,
        ["options"] = new JsonObject(),
        ["links"] = new JsonObject { ["self"] = Link("/roles/" + r.Id) },
    };

    /// <summary>A keystone collection: <c>{"&lt;name&gt;": [...], "links": {"self", "previous": null, "next": null}}</c>.</summary>
    public JsonObject Collection<T>(string name, IEnumerable<T> items, Func<T, JsonObject> render, HttpRequest request) => new()
    {
        [name] = new JsonArray([.. items.Select(i => (JsonNode)render(i))]),
        ["links"] = Links(request),
    };

    public JsonObject Links(HttpRequest request) => new()
    {
        ["self"] = urls.Base + request.PathBase + request.Path + request.QueryString,
        ["previous"] = null,
        ["next"] = null,
    };

    private static void AddExtra(JsonObject body, string extra)
    {
        foreach (var (key, value) in IdentityJsonText.ParseObject(extra))
        {
            if (!body.ContainsKey(key))
            {
                body[key] = value?.DeepClone();
            }
        }
    }
}
