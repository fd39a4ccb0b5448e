using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Primitives;

namespace Stratus.Cloud.Network.Api;

/// <summary>
/// Neutron collection queries (neutron api/v2/base.py _items, api_common): any attribute as a filter (repeated
/// values are alternatives; <c>fixed_ips=ip_address=…</c> for lists of objects), tag filters, sorting,
/// <c>limit</c>/<c>marker</c>/<c>page_reverse</c> paging with <c>&lt;collection&gt;_links</c>, and <c>fields</c>.
/// </summary>
internal static class NeutronListing
{
    private static readonly HashSet<string> Controls = new(StringComparer.Ordinal)
    {
        "fields", "limit", "marker", "sort_key", "sort_dir", "page_reverse", "tags", "tags-any", "not-tags", "not-tags-any",
    };

    public static JsonObject Page(string collection, IEnumerable<JsonObject> items, IQueryCollection query, IReadOnlySet<string> attributes, string selfUrl)
    {
        foreach (var key in query.Keys)
        {
            if (!Controls.Contains(key) && !attributes.Contains(key))
            {
                throw NeutronErrors.BadRequest("HTTPBadRequest", $"[{key}] is invalid attribute for filtering");
            }
        }

        var filtered = items.Where(item => Matches(item, query)).ToList();
        var sort = SortOrder(query, attributes);
        filtered.Sort((a, b) => Compare(a, b, sort));

        var reverse = query.TryGetValue("page_reverse", out var pageReverse) && bool.TryParse(pageReverse.ToString(), out var r) && r;
        var limit = 0;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out limit)))
        {
            throw NeutronErrors.BadRequest("HTTPBadRequest", $"Invalid input for limit. Reason: '{limitText}' is not a valid integer.");
        }

        var marker = query["marker"].FirstOrDefault();
        var ordered = reverse ? Enumerable.Reverse(filtered).ToList() : filtered;
        if (marker is not null)
        {
            var index = ordered.FindIndex(i => Text(i["id"]) == marker);
            if (index < 0)
            {
                throw NeutronErrors.BadRequest("HTTPBadRequest", $"Marker {marker} could not be found.");
            }

            ordered = ordered.Skip(index + 1).ToList();
        }

        var more = limit > 0 && ordered.Count > limit;
        var page = limit > 0 ? ordered.Take(limit).ToList() : ordered;
        if (reverse)
        {
            page.Reverse();
        }

        var fields = query["fields"].Where(f => !string.IsNullOrEmpty(f)).Select(f => f!).ToList();
        var body = new JsonObject
        {
            [collection] = new JsonArray(page.Select(item => (JsonNode?)Project(item, fields)).ToArray()),
        };
        if (limit > 0 && page.Count > 0)
        {
            var links = new JsonArray();
            var first = Text(page[0]["id"])!;
            var last = Text(page[^1]["id"])!;
            if (reverse ? marker is not null : more)
            {
                links.Add(Link("next", selfUrl, query, reverse ? first : last, pageReverse: false));
            }

            if (reverse ? more : marker is not null)
            {
                links.Add(Link("previous", selfUrl, query, first, pageReverse: true));
            }

            if (links.Count > 0)
            {
                body[collection + "_links"] = links;
            }
        }

        return body;
    }

    /// <summary><c>fields=</c> on a single resource (<c>GET /networks/{id}?fields=name</c>).</summary>
    public static JsonObject Project(JsonObject item, IReadOnlyList<string> fields)
    {
        if (fields.Count == 0)
        {
            return item;
        }

        var projected = new JsonObject();
        foreach (var field in fields.Distinct(StringComparer.Ordinal))
        {
            if (item.TryGetPropertyValue(field, out var value))
            {
                projected[field] = value?.DeepClone();
            }
        }

        return projected;
    }

    private static JsonObject Link(string rel, string selfUrl, IQueryCollection query, string marker, bool pageReverse)
    {
        var parts = query.Where(q => q.Key is not ("marker" or "page_reverse"))
            .SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? "")}"))
            .Append($"marker={Uri.EscapeDataString(marker)}");
        if (pageReverse)
        {
            parts = parts.Append("page_reverse=True");
        }

        return new JsonObject { ["rel"] = rel, ["href"] = selfUrl + "?" + string.Join('&', parts) };
    }

    private static bool Matches(JsonObject item, IQueryCollection query)
    {
        foreach (var (key, values) in query)
        {
            switch (key)
            {
                case "tags":
                    if (!TagSet(values).All(t => Tags(item).Contains(t)))
                    {
                        return false;
                    }

                    break;
                case "tags-any":
                    if (!TagSet(values).Any(t => Tags(item).Contains(t)))
                    {
                        return false;
                    }

                    break;
                case "not-tags":
                    if (TagSet(values).All(t => Tags(item).Contains(t)))
                    {
                        return false;
                    }

                    break;
                case "not-tags-any":
                    if (TagSet(values).Any(t => Tags(item).Contains(t)))
                    {
                        return false;
                    }

                    break;
                default:
                    if (!Controls.Contains(key) && !values.Any(v => ValueMatches(item[key], v ?? "")))
                    {
                        return false;
                    }

                    break;
            }
        }

        return true;
    }

    private static bool ValueMatches(JsonNode? actual, string wanted)
    {
        switch (actual)
        {
            case null:
                return wanted.Length == 0 || wanted == "None";
            case JsonArray array:
                return array.Any(element => element is JsonObject obj ? ObjectMatches(obj, wanted) : ValueMatches(element, wanted));
            case JsonObject obj:
                return ObjectMatches(obj, wanted);
            case JsonValue value:
                return value.GetValueKind() switch
                {
                    JsonValueKind.True or JsonValueKind.False => ParseBool(wanted) is { } b && b == value.GetValue<bool>(),
                    JsonValueKind.Number => value.ToJsonString() == wanted,
                    _ => value.GetValue<string>() == wanted,
                };
            default:
                return false;
        }
    }

    /// <summary>For lists of objects such as fixed_ips: <c>ip_address=10.0.0.5</c> matches that member; a bare value any member.</summary>
    private static bool ObjectMatches(JsonObject obj, string wanted)
    {
        var split = wanted.Split('=', 2);
        if (split.Length == 2)
        {
            if (split[0].EndsWith("_substr", StringComparison.Ordinal))
            {
                return Text(obj[split[0][..^7]]) is { } text && text.Contains(split[1], StringComparison.Ordinal);
            }

            return obj.TryGetPropertyValue(split[0], out var member) && ValueMatches(member, split[1]);
        }

        return obj.Any(p => p.Value is JsonValue && ValueMatches(p.Value, wanted));
    }

    private static bool? ParseBool(string text) => text switch
    {
        _ when bool.TryParse(text, out var b) => b,
        "1" => true,
        "0" => false,
        _ => null,
    };

    private static HashSet<string> TagSet(StringValues values) =>
        new(values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)), StringComparer.Ordinal);

    private static HashSet<string> Tags(JsonObject item) =>
        new((item["tags"] as JsonArray ?? []).Select(Text).OfType<string>(), StringComparer.Ordinal);

    private static List<(string Key, bool Descending)> SortOrder(IQueryCollection query, IReadOnlySet<string> attributes)
    {
        var keys = query["sort_key"].Select(k => k ?? "").ToList();
        var dirs = query["sort_dir"].Select(d => d ?? "").ToList();
        if (keys.Count != dirs.Count && dirs.Count > 0)
        {
            throw NeutronErrors.BadRequest("HTTPBadRequest", "The number of sort_keys and sort_dirs must be same");
        }

        var order = new List<(string, bool)>();
        for (var i = 0; i < keys.Count; i++)
        {
            if (!attributes.Contains(keys[i]))
            {
                throw NeutronErrors.BadRequest("HTTPBadRequest", $"{keys[i]} is an invalid attribute for sort_keys");
            }

            var dir = dirs.Count > 0 ? dirs[i] : "asc";
            order.Add((keys[i], dir switch
            {
                "asc" => false,
                "desc" => true,
                _ => throw NeutronErrors.BadRequest("HTTPBadRequest", $"{dir} is an invalid value for sort_dirs, valid values are: asc, desc"),
            }));
        }

        // Creation order by default, then id so pages never overlap.
        if (order.Count == 0)
        {
            order.Add(("created_at", false));
        }

        order.Add(("id", order[^1].Item2));
        return order;
    }

    private static int Compare(JsonObject a, JsonObject b, List<(string Key, bool Descending)> order)
    {
        foreach (var (key, descending) in order)
        {
            var result = CompareValues(a[key], b[key]);
            if (result != 0)
            {
                return descending ? -result : result;
            }
        }

        return 0;
    }

    private static int CompareValues(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return (a is null ? 0 : 1) - (b is null ? 0 : 1);
        }

        if (a is JsonValue va && b is JsonValue vb)
        {
            if (va.GetValueKind() == JsonValueKind.Number && vb.GetValueKind() == JsonValueKind.Number)
            {
                return double.Parse(va.ToJsonString(), CultureInfo.InvariantCulture).CompareTo(double.Parse(vb.ToJsonString(), CultureInfo.InvariantCulture));
            }

            if (va.GetValueKind() is JsonValueKind.True or JsonValueKind.False && vb.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            {
                return va.GetValue<bool>().CompareTo(vb.GetValue<bool>());
            }
        }

        return string.CompareOrdinal(a.ToJsonString(), b.ToJsonString());
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
