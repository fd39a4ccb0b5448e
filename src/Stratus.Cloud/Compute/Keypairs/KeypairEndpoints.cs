using Stratus.Cloud.Compute.Api;
using Stratus.Cloud.Compute.Quotas;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.OpenStack.Microversions;

namespace Stratus.Cloud.Compute.Keypairs;

/// <summary>
/// /os-keypairs (nova keypairs.py). Shapes by microversion: <c>type</c> from 2.2 (create 201 and delete 204 from 2.2,
/// 200 and 202 before), an admin's <c>user_id</c> from 2.10, paging from 2.35. Creating without a public key
/// generates an RSA key pair and returns its private half once.
/// </summary>
internal static class KeypairEndpoints
{
    private const string SafeChars = "_- 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/os-keypairs", ListAsync);
        group.MapPost("/os-keypairs", CreateAsync);
        group.MapGet("/os-keypairs/{name}", ShowAsync);
        group.MapDelete("/os-keypairs/{name}", DeleteAsync);
    }

    private static bool HasType(Microversion version) => version.AtLeast(2, 2);

    private static ApiException NotFound(string name, string userId) => ApiException.NotFound($"Keypair {name} not found for user {userId}", "KeypairNotFound");

    /// <summary>The user whose key pairs a request is about: the caller, or (2.10+, admin only) ?user_id=.</summary>
    private static string TargetUser(HttpContext http, RequestContext caller, string rule, string? fromBody = null)
    {
        var requested = fromBody ?? (ComputeMicroversionFilter.Of(http).AtLeast(2, 10) ? NovaQuery.Get(http.Request, "user_id") : null);
        if (string.IsNullOrEmpty(requested) || requested == caller.UserId)
        {
            return caller.UserId;
        }

        ComputePolicy.RequireAdmin(caller, rule);
        return requested;
    }

    private static async Task<IResult> ListAsync(HttpContext http, IKeypairStore store, ServiceUrls urls)
    {
        var caller = http.Caller();
        var version = ComputeMicroversionFilter.Of(http);
        var userId = TargetUser(http, caller, "os_compute_api:os-keypairs:index");
        var paged = version.AtLeast(2, 35);
        var limit = paged ? NovaQuery.Limit(http.Request) : (int?)null;
        var marker = paged ? NovaQuery.Marker(http.Request) : null;
        if (marker is not null && await store.FindAsync(userId, marker, http.RequestAborted) is null)
        {
            throw ApiException.BadRequest($"Marker {marker} could not be found.");
        }

        var keypairs = await store.ListAsync(userId, marker, limit, http.RequestAborted);
        var next = paged ? NovaQuery.NextLink(http.Request, $"{urls.Compute}/os-keypairs", keypairs.Count, keypairs.Count > 0 ? keypairs[^1].Name : null) : null;
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("keypairs");
            foreach (var keypair in keypairs)
            {
                w.WriteStartObject();
                w.WriteStartObject("keypair");
                w.WriteString("name", keypair.Name);
                w.WriteString("public_key", keypair.PublicKey);
                w.WriteString("fingerprint", keypair.Fingerprint);
                if (HasType(version))
                {
                    w.WriteString("type", keypair.Type);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNextLink("keypairs_links", next);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> ShowAsync(HttpContext http, string name, IKeypairStore store)
    {
        var caller = http.Caller();
        var version = ComputeMicroversionFilter.Of(http);
        var userId = TargetUser(http, caller, "os_compute_api:os-keypairs:show");
        var keypair = await store.FindAsync(userId, name, http.RequestAborted) ?? throw NotFound(name, userId);
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("keypair");
            w.WriteString("name", keypair.Name);
            w.WriteString("public_key", keypair.PublicKey);
            w.WriteString("fingerprint", keypair.Fingerprint);
            w.WriteString("user_id", keypair.UserId);
            w.WriteString("created_at", OpenStackJson.Naive(keypair.CreatedAt));
            w.WriteBoolean("deleted", false);
            w.WriteNull("deleted_at");
            w.WriteNumber("id", keypair.Id);
            w.WriteNull("updated_at");
            if (HasType(version))
            {
                w.WriteString("type", keypair.Type);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> CreateAsync(HttpContext http, IKeypairStore store, IQuotaStore quotas, TimeProvider time)
    {
        var caller = http.Caller();
        var version = ComputeMicroversionFilter.Of(http);
        var body = NovaSchema.Root(await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted), "keypair");
        List<string> allowed = ["name", "public_key"];
        if (HasType(version))
        {
            allowed.Add("type");
        }

        if (version.AtLeast(2, 10))
        {
            allowed.Add("user_id");
        }

        NovaSchema.Keys(body, "keypair", allowed, "name");
        var name = NovaSchema.Name(body["name"], "name");
        if (name.Any(c => !SafeChars.Contains(c, StringComparison.Ordinal)))
        {
            throw NovaSchema.InvalidName($"Only expected characters: [{SafeChars}]");
        }

        name = name.Trim();
        var type = body.ContainsKey("type") ? NovaSchema.Enum(body["type"], "type", "ssh", "x509") : "ssh";
        var publicKey = body.ContainsKey("public_key") ? NovaSchema.String(body["public_key"], "public_key") : null;
        var userId = TargetUser(http, caller, "os_compute_api:os-keypairs:create", body.ContainsKey("user_id") ? NovaSchema.String(body["user_id"], "user_id") : null);
        if (caller.ProjectId is null && !caller.IsAdmin)
        {
            throw ComputePolicy.Denied("os_compute_api:os-keypairs:create");
        }

        var limit = (await quotas.LimitsAsync(caller.ProjectId ?? "", http.RequestAborted))[QuotaResources.KeyPairs];
        if (limit >= 0 && await store.CountAsync(userId, http.RequestAborted) >= limit)
        {
            throw ApiException.Forbidden("Quota exceeded, too many key pairs.", "KeypairLimitExceeded");
        }

        string? privateKey = null;
        string fingerprint;
        if (publicKey is not null)
        {
            fingerprint = (type == "ssh" ? KeyMaterial.SshFingerprint(publicKey) : KeyMaterial.X509Fingerprint(publicKey))
                ?? throw ApiException.BadRequest(type == "ssh" ? "Keypair data is invalid: failed to generate fingerprint" : "Keypair data is invalid: failed to generate X509 fingerprint");
        }
        else
        {
            var generated = type == "ssh" ? KeyMaterial.GenerateSsh() : KeyMaterial.GenerateX509(userId, time.GetUtcNow().UtcDateTime);
            (publicKey, privateKey, fingerprint) = (generated.PublicKey, generated.PrivateKey, generated.Fingerprint);
        }

        var keypair = await store.CreateAsync(userId, name, type, publicKey, fingerprint, http.RequestAborted)
            ?? throw ApiException.Conflict($"Key pair '{name}' already exists.", "KeyPairExists");
        return new NovaResult(HasType(version) ? 201 : 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("keypair");
            if (privateKey is not null)
            {
                w.WriteString("private_key", privateKey);
            }

            if (HasType(version))
            {
                w.WriteString("type", keypair.Type);
            }

            w.WriteString("name", keypair.Name);
            w.WriteString("public_key", keypair.PublicKey);
            w.WriteString("fingerprint", keypair.Fingerprint);
            w.WriteString("user_id", keypair.UserId);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string name, IKeypairStore store)
    {
        var caller = http.Caller();
        var version = ComputeMicroversionFilter.Of(http);
        var userId = TargetUser(http, caller, "os_compute_api:os-keypairs:delete");
        return await store.DeleteAsync(userId, name, http.RequestAborted)
            ? NovaResult.Empty(HasType(version) ? 204 : 202)
            : throw NotFound(name, userId);
    }
}
