using System.Globalization;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Image;

/// <summary>
/// <c>GET /v2/images</c> parameters (gl: v2/images.py RequestDeserializer.index): filters on base attributes (with
/// <c>in:a,b</c> lists), <c>size_min</c>/<c>size_max</c>, <c>tag</c>, <c>visibility</c>, <c>member_status</c>,
/// <c>os_hidden</c>, date operators, any other key as a property filter; sorting; <c>limit</c>/<c>marker</c> paging.
/// </summary>
internal sealed class ImageListQuery
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 1000;

    private static readonly string[] SortKeys = ["name", "status", "container_format", "disk_format", "size", "id", "created_at", "updated_at"];

    private static readonly HashSet<string> NonFilters = new(StringComparer.Ordinal)
    {
        "limit", "marker", "sort_key", "sort_dir", "sort", "visibility", "member_status", "os_hidden", "size_min", "size_max", "tag",
    };

    private static readonly HashSet<string> ListFilters = new(StringComparer.Ordinal)
    {
        "name", "status", "owner", "disk_format", "container_format", "id", "checksum", "os_hash_value", "os_hash_algo", "protected",
    };

    private readonly List<(string Key, string Value)> _filters = [];
    private readonly List<(string Key, string Op, DateTime Value)> _dates = [];

    public int Limit { get; private set; } = DefaultLimit;

    public string? Marker { get; private set; }

    public string? Visibility { get; private set; }

    public string MemberStatus { get; private set; } = "accepted";

    public bool? OsHidden { get; private set; } = false;

    public long? SizeMin { get; private set; }

    public long? SizeMax { get; private set; }

    public IReadOnlyList<string> Tags { get; private set; } = [];

    public IReadOnlyList<(string Key, bool Descending)> Sort { get; private set; } = [("created_at", true)];

    public static ImageListQuery Parse(IQueryCollection query)
    {
        var result = new ImageListQuery();
        if (query.TryGetValue("limit", out var limit))
        {
            if (!int.TryParse(limit.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                throw ApiException.BadRequest("limit param must be an integer");
            }

            result.Limit = value >= 0 ? Math.Min(value, MaxLimit) : throw ApiException.BadRequest("limit param must be positive");
        }

        if (query.TryGetValue("marker", out var marker))
        {
            result.Marker = marker.ToString();
        }

        if (query.TryGetValue("visibility", out var visibility))
        {
            var text = visibility.ToString();
            result.Visibility = text is "public" or "private" or "shared" or "community" or "all" ? text : throw ApiException.BadRequest($"Invalid visibility value: {text}");
        }

        if (query.TryGetValue("member_status", out var memberStatus))
        {
            var text = memberStatus.ToString();
            result.MemberStatus = text is "pending" or "accepted" or "rejected" or "all" ? text : throw ApiException.BadRequest($"Invalid status: {text}");
        }

        if (query.TryGetValue("os_hidden", out var hidden))
        {
            result.OsHidden = bool.TryParse(hidden.ToString(), out var value) ? value : throw ApiException.BadRequest($"Invalid value for os_hidden: {hidden}");
        }

        result.SizeMin = Size(query, "size_min");
        result.SizeMax = Size(query, "size_max");
        result.Tags = query["tag"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList();
        result.Sort = ParseSort(query);

        foreach (var (key, values) in query)
        {
            if (NonFilters.Contains(key))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (key is "created_at" or "updated_at")
                {
                    result._dates.Add(ParseDate(key, value ?? ""));
                }
                else
                {
                    result._filters.Add((key, value ?? ""));
                }
            }
        }

        foreach (var (key, value) in result._filters)
        {
            if (key == "status" && !value.StartsWith("in:", StringComparison.Ordinal) && !ImageStatus.All.Contains(value))
            {
                throw ApiException.BadRequest($"Invalid status value: {value}");
            }
        }

        return result;
    }

    /// <summary>Whether the image passes every filter except visibility (which depends on the caller).</summary>
    public bool Matches(ImageRecord image)
    {
        if (OsHidden is { } hidden && image.OsHidden != hidden)
        {
            return false;
        }

        if ((SizeMin is { } min && (image.Size is null || image.Size < min)) || (SizeMax is { } max && (image.Size is null || image.Size > max)))
        {
            return false;
        }

        if (Tags.Any(t => !image.Tags.Contains(t)))
        {
            return false;
        }

        foreach (var (key, value) in _filters)
        {
            var actual = AttributeText(image, key);
            var matches = ListFilters.Contains(key) && value.StartsWith("in:", StringComparison.Ordinal)
                ? value[3..].Split(',').Select(v => v.Trim().Trim('"')).Contains(actual)
                : string.Equals(actual, value, StringComparison.Ordinal);
            if (!matches)
            {
                return false;
            }
        }

        foreach (var (key, op, value) in _dates)
        {
            var actual = key == "created_at" ? image.CreatedAt : image.UpdatedAt;
            var pass = op switch
            {
                "gt" => actual > value,
                "gte" => actual >= value,
                "lt" => actual < value,
                "lte" => actual <= value,
                "neq" => actual != value,
                _ => actual == value,
            };
            if (!pass)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Orders images by the sort keys, then by id (so paging by marker is stable).</summary>
    public int Compare(ImageRecord a, ImageRecord b)
    {
        foreach (var (key, descending) in Sort)
        {
            var order = CompareBy(key, a, b);
            if (order != 0)
            {
                return descending ? -order : order;
            }
        }

        var byId = string.CompareOrdinal(a.Id, b.Id);
        return Sort.Count > 0 && Sort[^1].Descending ? -byId : byId;
    }

    /// <summary>The query string for the next page: the same parameters with the marker moved on.</summary>
    public static string NextQuery(IQueryCollection query, string marker)
    {
        var parts = query.Where(q => q.Key != "marker")
            .SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? "")}"))
            .Append($"marker={Uri.EscapeDataString(marker)}");
        return string.Join('&', parts);
    }

    /// <summary>The query string without the marker (for <c>first</c>).</summary>
    public static string FirstQuery(IQueryCollection query) =>
        string.Join('&', query.Where(q => q.Key != "marker").SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? "")}")));

    private static int CompareBy(string key, ImageRecord a, ImageRecord b) => key switch
    {
        "size" => Nullable.Compare(a.Size, b.Size),
        "created_at" => a.CreatedAt.CompareTo(b.CreatedAt),
        "updated_at" => a.UpdatedAt.CompareTo(b.UpdatedAt),
        _ => string.CompareOrdinal(AttributeText(a, key), AttributeText(b, key)),
    };

    private static string? AttributeText(ImageRecord image, string key) => key switch
    {
        "id" => image.Id,
        "name" => image.Name,
        "status" => image.Status,
        "owner" => image.Owner,
        "disk_format" => image.DiskFormat,
        "container_format" => image.ContainerFormat,
        "checksum" => image.Checksum,
        "os_hash_algo" => image.OsHashAlgo,
        "os_hash_value" => image.OsHashValue,
        "protected" => image.Protected ? "true" : "false",
        "min_ram" => image.MinRam.ToString(CultureInfo.InvariantCulture),
        "min_disk" => image.MinDisk.ToString(CultureInfo.InvariantCulture),
        _ => image.Properties.TryGetValue(key, out var value) ? value : null,
    };

    private static long? Size(IQueryCollection query, string key)
    {
        if (!query.TryGetValue(key, out var text))
        {
            return null;
        }

        return long.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ApiException.BadRequest($"Invalid value for {key}: '{text}' is not a non-negative integer.");
    }

    private static (string Key, string Op, DateTime Value) ParseDate(string key, string text)
    {
        var parts = text.Split(':', 2);
        var (op, value) = parts.Length == 2 && parts[0] is "gt" or "gte" or "lt" or "lte" or "eq" or "neq" ? (parts[0], parts[1]) : ("eq", text);
        return DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date)
            ? (key, op, date)
            : throw ApiException.BadRequest($"Unable to filter on a range with a nonsensical value: {text}");
    }

    private static List<(string Key, bool Descending)> ParseSort(IQueryCollection query)
    {
        var keys = query["sort_key"].Select(k => k ?? "").ToList();
        var dirs = query["sort_dir"].Select(d => d ?? "").ToList();
        if (query.TryGetValue("sort", out var sort))
        {
            if (keys.Count > 0 || dirs.Count > 0)
            {
                throw ApiException.BadRequest("The 'sort' parameter can't be combined with 'sort_key' or 'sort_dir'.");
            }

            var parsed = new List<(string, bool)>();
            foreach (var item in sort.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var pieces = item.Split(':', 2);
                var dir = pieces.Length == 2 ? pieces[1] : "desc";
                parsed.Add((SortKey(pieces[0]), SortDescending(dir)));
            }

            return parsed.Count > 0 ? parsed : [("created_at", true)];
        }

        if (keys.Count == 0)
        {
            keys.Add("created_at");
        }

        if (dirs.Count > 1 && dirs.Count != keys.Count)
        {
            throw ApiException.BadRequest("Number of sort dirs does not match the number of sort keys");
        }

        return keys.Select((k, i) => (SortKey(k), SortDescending(dirs.Count == 0 ? "desc" : dirs[Math.Min(i, dirs.Count - 1)]))).ToList();
    }

    private static string SortKey(string key) =>
        SortKeys.Contains(key) ? key : throw ApiException.BadRequest($"Invalid sort key: {key}. It must be one of the following: {string.Join(", ", SortKeys)}.");

    private static bool SortDescending(string dir) => dir switch
    {
        "asc" => false,
        "desc" => true,
        _ => throw ApiException.BadRequest($"Invalid sort direction: {dir}"),
    };
}
