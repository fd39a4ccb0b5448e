using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Cloud.Compute.Api;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.OpenStack.Microversions;

namespace Stratus.Cloud.Compute.Flavors;

/// <summary>
/// /flavors and /flavors/{id}/os-extra_specs (nova flavors.py, flavor_manage.py, flavors_extraspecs.py). Anyone may
/// read public flavors; only admins see private ones, create, delete and change extra specs.
/// </summary>
internal static class FlavorEndpoints
{
    private static readonly string[] SortKeys =
        ["created_at", "description", "disabled", "ephemeral_gb", "flavorid", "id", "is_public", "memory_mb", "name", "root_gb", "rxtx_factor", "swap", "updated_at", "vcpu_weight", "vcpus"];

    private static readonly string[] CreateKeys = ["name", "id", "ram", "vcpus", "disk", "OS-FLV-EXT-DATA:ephemeral", "swap", "rxtx_factor", "os-flavor-access:is_public"];

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/flavors", (HttpContext http, IFlavorStore store, ServiceUrls urls) => ListAsync(http, store, urls, detail: false));
        group.MapGet("/flavors/detail", (HttpContext http, IFlavorStore store, ServiceUrls urls) => ListAsync(http, store, urls, detail: true));
        group.MapGet("/flavors/{id}", ShowAsync);
        group.MapPost("/flavors", CreateAsync);
        group.MapPut("/flavors/{id}", UpdateAsync);
        group.MapDelete("/flavors/{id}", DeleteAsync);
        group.MapGet("/flavors/{id}/os-extra_specs", ListSpecsAsync);
        group.MapPost("/flavors/{id}/os-extra_specs", AddSpecsAsync);
        group.MapGet("/flavors/{id}/os-extra_specs/{key}", ShowSpecAsync);
        group.MapPut("/flavors/{id}/os-extra_specs/{key}", UpdateSpecAsync);
        group.MapDelete("/flavors/{id}/os-extra_specs/{key}", DeleteSpecAsync);
    }

    public static ApiException NotFound(string id) => ApiException.NotFound($"Flavor {id} could not be found.", "FlavorNotFound");

    /// <summary>A flavor the caller may see (private flavors are admin-only), or 404.</summary>
    public static async Task<Flavor> VisibleAsync(IFlavorStore store, RequestContext caller, string id, CancellationToken cancellationToken)
    {
        var flavor = await store.FindAsync(id, cancellationToken);
        return flavor is not null && (flavor.IsPublic || caller.IsAdmin) ? flavor : throw NotFound(id);
    }

    private static bool MaySeeExtraSpecs(RequestContext caller) => caller.IsAdmin || caller.ProjectId is not null;

    private static async Task<IResult> ListAsync(HttpContext http, IFlavorStore store, ServiceUrls urls, bool detail)
    {
        var caller = http.Caller();
        var version = ComputeMicroversionFilter.Of(http);
        var request = http.Request;
        if (version.AtLeast(2, 75))
        {
            var unknown = request.Query.Keys.Where(k => k is not ("limit" or "marker" or "is_public" or "minRam" or "minDisk" or "sort_key" or "sort_dir")).ToList();
            if (unknown.Count > 0)
            {
                throw ApiException.BadRequest(NovaSchema.AdditionalMessage(unknown));
            }
        }

        var limit = NovaQuery.Limit(request);
        var marker = NovaQuery.Marker(request);
        var sortKey = NovaQuery.Get(request, "sort_key") is { Length: > 0 } k ? k : "flavorid";
        var sortDir = NovaQuery.Get(request, "sort_dir") is { Length: > 0 } d ? d : "asc";
        if (!SortKeys.Contains(sortKey))
        {
            throw NovaSchema.InvalidQuery("sort_key", sortKey, $"{PyRepr.Quote(sortKey)} is not one of [{string.Join(", ", SortKeys.Select(PyRepr.Quote))}]");
        }

        if (sortDir is not ("asc" or "desc"))
        {
            throw NovaSchema.InvalidQuery("sort_dir", sortDir, $"{PyRepr.Quote(sortDir)} is not one of ['asc', 'desc']");
        }

        bool? isPublic = true;
        var disabledToo = caller.IsAdmin;
        if (caller.IsAdmin && NovaQuery.Get(request, "is_public") is { } publicText)
        {
            isPublic = publicText.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)
                ? null
                : NovaSchema.StrictBool(publicText) ?? throw ApiException.BadRequest($"Invalid is_public filter [{publicText}]");
        }

        var minRam = IntFilter(request, "minRam");
        var minDisk = IntFilter(request, "minDisk");
        IEnumerable<Flavor> flavors = (await store.ListAsync(http.RequestAborted))
            .Where(f => (isPublic is null || f.IsPublic == isPublic) && (disabledToo || !f.Disabled))
            .Where(f => (minRam is null || f.MemoryMb >= minRam) && (minDisk is null || f.RootGb >= minDisk));
        var sorted = Sort(flavors, sortKey, sortDir == "desc").ToList();
        if (marker is not null)
        {
            var index = sorted.FindIndex(f => f.Id == marker);
            if (index < 0)
            {
                throw NovaQuery.MarkerNotFound(marker);
            }

            sorted = sorted.Skip(index + 1).ToList();
        }

        var page = sorted.Take(limit).ToList();
        var next = NovaQuery.NextLink(request, $"{urls.Compute}/flavors{(detail ? "/detail" : "")}", page.Count, page.Count > 0 ? page[^1].Id : null);
        var includeSpecs = MaySeeExtraSpecs(caller);
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("flavors");
            foreach (var flavor in page)
            {
                if (detail)
                {
                    FlavorView.WriteFull(w, flavor, version, urls, includeSpecs);
                }
                else
                {
                    FlavorView.WriteBasic(w, flavor, version, urls);
                }
            }

            w.WriteEndArray();
            w.WriteNextLink("flavors_links", next);
            w.WriteEndObject();
        });
    }

    private static IEnumerable<Flavor> Sort(IEnumerable<Flavor> flavors, string key, bool descending)
    {
        Func<Flavor, IComparable> selector = key switch
        {
            "name" => f => f.Name,
            "memory_mb" => f => f.MemoryMb,
            "vcpus" => f => f.Vcpus,
            "root_gb" => f => f.RootGb,
            "ephemeral_gb" => f => f.EphemeralGb,
            "swap" => f => f.SwapMb,
            "rxtx_factor" => f => f.RxtxFactor,
            "is_public" => f => f.IsPublic,
            "disabled" => f => f.Disabled,
            "description" => f => f.Description ?? "",
            "created_at" or "updated_at" => f => f.CreatedAt,
            "id" or "vcpu_weight" => f => f.InternalId,
            _ => f => f.Id,
        };
        var comparer = Comparer<IComparable>.Create((a, b) => a is string sa && b is string sb ? string.CompareOrdinal(sa, sb) : a.CompareTo(b));
        var ordered = descending ? flavors.OrderByDescending(selector, comparer) : flavors.OrderBy(selector, comparer);
        return descending ? ordered.ThenByDescending(f => f.Id, StringComparer.Ordinal) : ordered.ThenBy(f => f.Id, StringComparer.Ordinal);
    }

    private static int? IntFilter(HttpRequest request, string name)
    {
        var text = NovaQuery.Get(request, name);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ApiException.BadRequest($"Invalid {name} filter [{text}]");
    }

    private static async Task<IResult> ShowAsync(HttpContext http, string id, IFlavorStore store, ServiceUrls urls)
    {
        var caller = http.Caller();
        var version = ComputeMicroversionFilter.Of(http);
        var flavor = await VisibleAsync(store, caller, id, http.RequestAborted);
        return Single(flavor, version, urls, MaySeeExtraSpecs(caller));
    }

    private static NovaResult Single(Flavor flavor, Microversion version, ServiceUrls urls, bool includeSpecs) => NovaResult.Ok(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("flavor");
        FlavorView.WriteFull(w, flavor, version, urls, includeSpecs);
        w.WriteEndObject();
    });

    private static async Task<IResult> CreateAsync(HttpContext http, IFlavorStore store, ServiceUrls urls)
    {
        var caller = http.Caller();
        ComputePolicy.RequireAdmin(caller, "os_compute_api:os-flavor-manage:create");
        var version = ComputeMicroversionFilter.Of(http);
        var body = NovaSchema.Root(await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted), "flavor");
        var allowed = FlavorView.HasDescription(version) ? [.. CreateKeys, "description"] : CreateKeys;
        NovaSchema.Keys(body, "flavor", allowed, "name", "ram", "vcpus", "disk");
        var name = NovaSchema.Name(body["name"], "name").Trim();
        var id = FlavorId(body["id"]) ?? Guid.NewGuid().ToString("D");
        var flavor = new Flavor
        {
            Id = id,
            Name = name,
            MemoryMb = (int)NovaSchema.Integer(body["ram"], "ram", 1, int.MaxValue),
            Vcpus = (int)NovaSchema.Integer(body["vcpus"], "vcpus", 1, int.MaxValue),
            RootGb = (int)NovaSchema.Integer(body["disk"], "disk", 0, int.MaxValue),
            EphemeralGb = body.ContainsKey("OS-FLV-EXT-DATA:ephemeral") ? (int)NovaSchema.Integer(body["OS-FLV-EXT-DATA:ephemeral"], "OS-FLV-EXT-DATA:ephemeral", 0, int.MaxValue) : 0,
            SwapMb = body.ContainsKey("swap") ? (int)NovaSchema.Integer(body["swap"], "swap", 0, int.MaxValue) : 0,
            RxtxFactor = body.ContainsKey("rxtx_factor") ? RxtxFactor(body["rxtx_factor"]) : 1.0,
            IsPublic = !body.ContainsKey("os-flavor-access:is_public") || NovaSchema.Boolean(body["os-flavor-access:is_public"], "os-flavor-access:is_public"),
            Description = FlavorView.HasDescription(version) ? NovaSchema.Description(body["description"], "description", 65535) : null,
        };
        try
        {
            var created = await store.CreateAsync(flavor, http.RequestAborted);
            return Single(created, version, urls, includeSpecs: true);
        }
        catch (FlavorConflictException e)
        {
            throw ApiException.Conflict(e.Message, "FlavorExists");
        }
    }

    private static string? FlavorId(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        string text;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            text = v.ToJsonString();
        }
        else if (NovaSchema.IsString(node))
        {
            text = node.GetValue<string>();
            NovaSchema.CheckLength(text, node, "id", 1, 255);
        }
        else
        {
            throw NovaSchema.TypeError("id", node, "string", "number", "null");
        }

        var valid = text.Length > 0 && text[0] != ' ' && text[^1] != ' ' && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or ' ' or '_' or '-');
        return valid ? text : throw NovaSchema.Invalid("id", node, $"{PyRepr.Quote(text)} does not match '^(?! )[a-zA-Z0-9. _-]+(?<! )$'");
    }

    private static double RxtxFactor(JsonNode? node)
    {
        double value;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            value = v.GetValue<double>();
        }
        else if (NovaSchema.IsString(node) && double.TryParse(node!.GetValue<string>(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
        }
        else
        {
            throw NovaSchema.TypeError("rxtx_factor", node, "number", "string");
        }

        return value > 0 && value <= 3.40282e+38 ? value : throw NovaSchema.Invalid("rxtx_factor", node, $"{PyRepr.Repr(node)} is less than or equal to the minimum of 0");
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string id, IFlavorStore store, ServiceUrls urls)
    {
        var version = ComputeMicroversionFilter.Of(http);
        if (!FlavorView.HasDescription(version))
        {
            throw ApiException.NotFound("The resource could not be found.");
        }

        ComputePolicy.RequireAdmin(http.Caller(), "os_compute_api:os-flavor-manage:update");
        var body = NovaSchema.Root(await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted), "flavor");
        NovaSchema.Keys(body, "flavor", ["description"], "description");
        var description = NovaSchema.Description(body["description"], "description", 65535);
        var flavor = await store.SetDescriptionAsync(id, description, http.RequestAborted) ?? throw NotFound(id);
        return Single(flavor, version, urls, includeSpecs: true);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string id, IFlavorStore store)
    {
        ComputePolicy.RequireAdmin(http.Caller(), "os_compute_api:os-flavor-manage:delete");
        return await store.DeleteAsync(id, http.RequestAborted) ? NovaResult.Empty(202) : throw NotFound(id);
    }

    private static async Task<IResult> ListSpecsAsync(HttpContext http, string id, IFlavorStore store)
    {
        var flavor = await VisibleAsync(store, http.Caller(), id, http.RequestAborted);
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStringMap("extra_specs", flavor.ExtraSpecs);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> ShowSpecAsync(HttpContext http, string id, string key, IFlavorStore store)
    {
        var flavor = await VisibleAsync(store, http.Caller(), id, http.RequestAborted);
        if (!flavor.ExtraSpecs.TryGetValue(key, out var value))
        {
            throw ApiException.NotFound($"Flavor {id} has no extra specs with key {key}.");
        }

        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString(key, value);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> AddSpecsAsync(HttpContext http, string id, IFlavorStore store)
    {
        ComputePolicy.RequireAdmin(http.Caller(), "os_compute_api:os-flavor-extra-specs:create");
        var body = await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted);
        if (!body.ContainsKey("extra_specs"))
        {
            throw ApiException.BadRequest("'extra_specs' is a required property");
        }

        if (body.Count > 1)
        {
            throw ApiException.BadRequest(NovaSchema.AdditionalMessage(body.Select(p => p.Key).Where(k => k != "extra_specs").ToList()));
        }

        var specs = NovaSchema.Metadata(body["extra_specs"], "extra_specs", allowNumbers: true);
        _ = await store.SetExtraSpecsAsync(id, specs, http.RequestAborted) ?? throw NotFound(id);
        return Echo("extra_specs", specs);
    }

    private static async Task<IResult> UpdateSpecAsync(HttpContext http, string id, string key, IFlavorStore store)
    {
        ComputePolicy.RequireAdmin(http.Caller(), "os_compute_api:os-flavor-extra-specs:update");
        var body = await OpenStackJson.ReadObjectAsync(http.Request, http.RequestAborted);
        var specs = NovaSchema.Metadata(body, "extra_specs", allowNumbers: true);
        if (specs.Count != 1)
        {
            throw ApiException.BadRequest(specs.Count == 0 ? $"{PyRepr.Repr(body)} does not have enough properties" : $"{PyRepr.Repr(body)} has too many properties");
        }

        if (!specs.ContainsKey(key))
        {
            throw ApiException.BadRequest("Request body and URI mismatch");
        }

        _ = await store.SetExtraSpecsAsync(id, specs, http.RequestAborted) ?? throw NotFound(id);
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            foreach (var (k, v) in specs)
            {
                w.WriteString(k, v);
            }

            w.WriteEndObject();
        });
    }

    private static async Task<IResult> DeleteSpecAsync(HttpContext http, string id, string key, IFlavorStore store)
    {
        ComputePolicy.RequireAdmin(http.Caller(), "os_compute_api:os-flavor-extra-specs:delete");
        _ = await store.FindAsync(id, http.RequestAborted) ?? throw NotFound(id);
        return await store.DeleteExtraSpecAsync(id, key, http.RequestAborted)
            ? NovaResult.Empty(200)
            : throw ApiException.NotFound($"Flavor {id} has no extra specs with key {key}.");
    }

    private static NovaResult Echo(string name, IReadOnlyDictionary<string, string> values) => NovaResult.Ok(w =>
    {
        w.WriteStartObject();
        w.WriteStringMap(name, values);
        w.WriteEndObject();
    });
}
