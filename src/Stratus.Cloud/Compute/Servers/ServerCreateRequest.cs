using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Cloud.Compute.Api;
using Stratus.Cloud.Network;
using Stratus.Cloud.OpenStack;
using Stratus.Cloud.OpenStack.Microversions;

namespace Stratus.Cloud.Compute.Servers;

/// <summary>
/// A validated POST /servers body (nova schemas/servers.py create, create_v219 ... create_v274, and the checks in
/// servers.py create). Which keys are accepted depends on the microversion; every problem is a 400 with nova's text.
/// </summary>
internal sealed record ServerCreateRequest
{
    public required string Name { get; init; }

    public required string FlavorRef { get; init; }

    public required string ImageRef { get; init; }

    public string? AdminPass { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    public NetworkRequest Networks { get; init; } = NetworkRequest.Auto;

    public string DiskConfig { get; init; } = "MANUAL";

    public string AccessIpv4 { get; init; } = "";

    public string AccessIpv6 { get; init; } = "";

    public string? AvailabilityZone { get; init; }

    public bool ConfigDrive { get; init; }

    public string? KeyName { get; init; }

    public int MinCount { get; init; } = 1;

    public int MaxCount { get; init; } = 1;

    public bool ReturnReservationId { get; init; }

    /// <summary>The groups as requested, de-duplicated; null when the request named none.</summary>
    public IReadOnlyList<string>? SecurityGroups { get; init; }

    public string? UserData { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The request's own security_groups entries, echoed in the create response (nova views/servers.py create).</summary>
    public JsonArray? RequestedSecurityGroups { get; init; }

    public static ServerCreateRequest Parse(JsonObject body, Microversion version)
    {
        var server = NovaSchema.Root(body, "server", "os:scheduler_hints", "OS-SCH-HNT:scheduler_hints");
        foreach (var hints in new[] { "os:scheduler_hints", "OS-SCH-HNT:scheduler_hints" })
        {
            // Hints are accepted as nova accepts them (additionalProperties: true); no hint-driven filter exists yet.
            if (body.ContainsKey(hints) && body[hints] is not JsonObject)
            {
                throw NovaSchema.TypeError(hints, body[hints], "object");
            }
        }

        NovaSchema.Keys(server, "server", AllowedKeys(version), Required(version));
        var name = NovaSchema.Name(server["name"], "name").Trim();
        var flavorRef = ParseFlavorRef(server["flavorRef"]);
        var imageRef = ParseImageRef(server);
        if (server.ContainsKey("block_device_mapping") || server.ContainsKey("block_device_mapping_v2"))
        {
            foreach (var key in new[] { "block_device_mapping", "block_device_mapping_v2" })
            {
                if (server[key] is not null and not JsonArray)
                {
                    throw NovaSchema.TypeError(key, server[key], "array");
                }

                if (server[key] is JsonArray { Count: > 0 })
                {
                    throw ApiException.BadRequest("Block device mapping is invalid: this cloud has no volume service; boot from an image (imageRef).");
                }
            }
        }

        if (imageRef.Length == 0)
        {
            throw ApiException.BadRequest("Missing imageRef attribute");
        }

        if (server.ContainsKey("personality") && server["personality"] is JsonArray { Count: > 0 })
        {
            throw ApiException.BadRequest("Personality files are not supported; pass files through user_data or the config drive's metadata.");
        }

        var minCount = server.ContainsKey("min_count") ? (int)NovaSchema.Integer(server["min_count"], "min_count", 1, int.MaxValue) : 1;
        var maxCount = server.ContainsKey("max_count") ? (int)NovaSchema.Integer(server["max_count"], "max_count", 1, int.MaxValue) : minCount;
        if (minCount > maxCount)
        {
            throw ApiException.BadRequest("min_count must be <= max_count");
        }

        string? userData = null;
        if (server.ContainsKey("user_data"))
        {
            userData = NovaSchema.String(server["user_data"], "user_data", 0, 65535);
            if (!NovaSchema.IsBase64(userData))
            {
                throw NovaSchema.Invalid("user_data", server["user_data"], $"{PyRepr.Quote(userData)} is not a 'base64'");
            }
        }

        var (securityGroups, requestedGroups) = ParseSecurityGroups(server["security_groups"], server.ContainsKey("security_groups"));
        var tags = version.AtLeast(2, 52) && server.ContainsKey("tags") ? ParseTags(server["tags"]) : [];
        if (version.AtLeast(2, 63) && server["trusted_image_certificates"] is not null)
        {
            throw ApiException.BadRequest("Image certificate validation is not supported by this cloud; omit trusted_image_certificates.");
        }

        if (version.AtLeast(2, 74) && (server.ContainsKey("host") || server.ContainsKey("hypervisor_hostname")))
        {
            throw ApiException.BadRequest("Requesting a destination host is not supported by this cloud; use availability_zone.");
        }

        return new ServerCreateRequest
        {
            Name = name,
            FlavorRef = flavorRef,
            ImageRef = imageRef,
            AdminPass = server.ContainsKey("adminPass") ? NovaSchema.String(server["adminPass"], "adminPass") : null,
            Metadata = server.ContainsKey("metadata") ? NovaSchema.Metadata(server["metadata"], "metadata") : new Dictionary<string, string>(),
            Networks = ParseNetworks(server, version),
            DiskConfig = server.ContainsKey("OS-DCF:diskConfig") ? NovaSchema.Enum(server["OS-DCF:diskConfig"], "OS-DCF:diskConfig", "AUTO", "MANUAL") : "MANUAL",
            AccessIpv4 = server.ContainsKey("accessIPv4") ? NovaSchema.Ipv4(server["accessIPv4"], "accessIPv4") : "",
            AccessIpv6 = server.ContainsKey("accessIPv6") ? NovaSchema.Ipv6(server["accessIPv6"], "accessIPv6") : "",
            AvailabilityZone = server.ContainsKey("availability_zone") ? NovaSchema.Name(server["availability_zone"], "availability_zone") : null,
            ConfigDrive = server.ContainsKey("config_drive") && NovaSchema.Boolean(server["config_drive"], "config_drive"),
            KeyName = server.ContainsKey("key_name") ? NovaSchema.Name(server["key_name"], "key_name") : null,
            MinCount = minCount,
            MaxCount = maxCount,
            ReturnReservationId = server.ContainsKey("return_reservation_id") && NovaSchema.Boolean(server["return_reservation_id"], "return_reservation_id"),
            SecurityGroups = securityGroups,
            RequestedSecurityGroups = requestedGroups,
            UserData = userData,
            // Below 2.19 nova stores the name as the description (servers.py create: description = name).
            Description = version.AtLeast(2, 19) ? NovaSchema.Description(server["description"], "description") : name,
            Tags = tags,
        };
    }

    private static string[] Required(Microversion version) => version.AtLeast(2, 37) ? ["name", "flavorRef", "networks"] : ["name", "flavorRef"];

    private static List<string> AllowedKeys(Microversion version)
    {
        List<string> keys =
        [
            "name", "imageRef", "flavorRef", "adminPass", "metadata", "networks", "OS-DCF:diskConfig", "accessIPv4", "accessIPv6",
            "availability_zone", "block_device_mapping", "block_device_mapping_v2", "config_drive", "key_name", "min_count", "max_count",
            "return_reservation_id", "security_groups", "user_data",
        ];
        if (!version.AtLeast(2, 57))
        {
            keys.Add("personality");
        }

        if (version.AtLeast(2, 19))
        {
            keys.Add("description");
        }

        if (version.AtLeast(2, 52))
        {
            keys.Add("tags");
        }

        if (version.AtLeast(2, 63))
        {
            keys.Add("trusted_image_certificates");
        }

        if (version.AtLeast(2, 74))
        {
            keys.AddRange(["host", "hypervisor_hostname"]);
        }

        return keys;
    }

    /// <summary>nova common.get_id_from_href: the last path segment of an href, or the id itself.</summary>
    public static string IdFromHref(string href)
    {
        var path = Uri.TryCreate(href, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.AbsolutePath : href.Split('?')[0];
        return path.Split('/')[^1];
    }

    private static string ParseFlavorRef(JsonNode? node)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            return v.ToJsonString();
        }

        var text = NovaSchema.IsString(node) ? node!.GetValue<string>() : throw NovaSchema.TypeError("flavorRef", node, "string", "integer");
        NovaSchema.CheckLength(text, node, "flavorRef", 1, int.MaxValue);
        return IdFromHref(text);
    }

    private static string ParseImageRef(JsonObject server)
    {
        if (!server.ContainsKey("imageRef") || server["imageRef"] is null)
        {
            return "";
        }

        var node = server["imageRef"];
        if (!NovaSchema.IsString(node))
        {
            throw NovaSchema.Invalid("imageRef", node, $"{PyRepr.Repr(node)} is not valid under any of the given schemas");
        }

        var text = node!.GetValue<string>();
        var id = text.Contains('/', StringComparison.Ordinal) ? IdFromHref(text) : text;
        return id.Length == 0 || NovaSchema.IsUuidLike(id)
            ? id
            : throw NovaSchema.Invalid("imageRef", node, $"{PyRepr.Quote(text)} is not valid under any of the given schemas");
    }

    private static NetworkRequest ParseNetworks(JsonObject server, Microversion version)
    {
        if (!server.ContainsKey("networks"))
        {
            return NetworkRequest.Auto;
        }

        var node = server["networks"];
        var strict = version.AtLeast(2, 37);
        if (strict && NovaSchema.IsString(node))
        {
            var value = node!.GetValue<string>();
            return value switch
            {
                "auto" => NetworkRequest.Auto,
                "none" => NetworkRequest.None,
                _ => throw NovaSchema.Invalid("networks", node, $"{PyRepr.Quote(value)} is not valid under any of the given schemas"),
            };
        }

        if (node is not JsonArray entries)
        {
            throw strict
                ? NovaSchema.Invalid("networks", node, $"{PyRepr.Repr(node)} is not valid under any of the given schemas")
                : NovaSchema.TypeError("networks", node, "array");
        }

        List<string> allowed = ["fixed_ip", "port", "uuid"];
        if (version == new Microversion(2, 32) || (version.AtLeast(2, 33) && !version.AtLeast(2, 37)) || version.AtLeast(2, 42))
        {
            allowed.Add("tag");
        }

        var requested = new List<RequestedNetwork>();
        var ports = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            if (entry is not JsonObject network)
            {
                throw NovaSchema.TypeError("networks", entry, "object");
            }

            NovaSchema.Keys(network, "networks", allowed);
            var fixedIp = network.ContainsKey("fixed_ip") ? NovaSchema.IpAddress(network["fixed_ip"], "fixed_ip") : null;
            string? port = null;
            if (network["port"] is { } portNode)
            {
                port = NovaSchema.Uuid(portNode, "port");
            }

            var tag = network.ContainsKey("tag") ? Tag(network["tag"]) : null;
            if (port is not null)
            {
                if (!ports.Add(port))
                {
                    throw ApiException.BadRequest($"Port ID '{port}' was specified twice: you cannot attach a port multiple times.");
                }

                if (fixedIp is not null)
                {
                    throw ApiException.BadRequest($"Specified Fixed IP '{fixedIp}' cannot be used with port '{port}': the two cannot be specified together.");
                }

                requested.Add(new RequestedNetwork(null, port, null, tag));
                continue;
            }

            if (!network.ContainsKey("uuid"))
            {
                throw ApiException.BadRequest("Bad network format: missing 'uuid'");
            }

            string uuid;
            if (strict)
            {
                uuid = NovaSchema.Uuid(network["uuid"], "uuid");
            }
            else
            {
                uuid = NovaSchema.IsString(network["uuid"]) ? network["uuid"]!.GetValue<string>() : throw NovaSchema.TypeError("uuid", network["uuid"], "string");
                if (!NovaSchema.IsUuidLike(uuid))
                {
                    throw ApiException.BadRequest($"Bad networks format: network uuid is not in proper format ({uuid})");
                }
            }

            requested.Add(new RequestedNetwork(uuid, null, fixedIp, tag));
        }

        // An empty list asks for nothing in particular: nova then attaches the project's one network, as with auto.
        return requested.Count == 0 ? NetworkRequest.Auto : new NetworkRequest(NetworkRequestMode.Explicit, requested);
    }

    private static string Tag(JsonNode? node)
    {
        var tag = NovaSchema.String(node, "tag", 1, 60);
        return tag.Contains(',', StringComparison.Ordinal) || tag.Contains('/', StringComparison.Ordinal)
            ? throw NovaSchema.Invalid("tag", node, $"{PyRepr.Quote(tag)} does not match '^[^,/]*$'")
            : tag;
    }

    private static List<string> ParseTags(JsonNode? node)
    {
        if (node is not JsonArray array)
        {
            throw NovaSchema.TypeError("tags", node, "array");
        }

        if (array.Count > 50)
        {
            throw NovaSchema.Invalid("tags", node, $"{PyRepr.Repr(node)} is too long");
        }

        return array.Select(Tag).ToList();
    }

    private static (IReadOnlyList<string>? Groups, JsonArray? Requested) ParseSecurityGroups(JsonNode? node, bool present)
    {
        if (!present)
        {
            return (null, null);
        }

        if (node is not JsonArray array)
        {
            throw NovaSchema.TypeError("security_groups", node, "array");
        }

        var names = new List<string>();
        foreach (var entry in array)
        {
            if (entry is not JsonObject group)
            {
                throw NovaSchema.TypeError("security_groups", entry, "object");
            }

            NovaSchema.Keys(group, "security_groups", ["name"]);
            if (group.ContainsKey("name"))
            {
                var name = NovaSchema.Name(group["name"], "name");
                if (!names.Contains(name))
                {
                    names.Add(name);
                }
            }
        }

        return (names, (JsonArray)array.DeepClone());
    }
}
