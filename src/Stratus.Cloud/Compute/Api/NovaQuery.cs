using System.Globalization;
using System.Text;
using Microsoft.Extensions.Primitives;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Compute.Api;

/// <summary>
/// Query-string handling shared by nova's list APIs (nova/api/openstack/common.py): limit and marker, the max_limit
/// cap of 1000, and the <c>next</c> link that repeats the other parameters, sorted.
/// </summary>
internal static class NovaQuery
{
    /// <summary>nova's CONF.api.max_limit.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The effective page size: the requested limit capped at <see cref="MaxLimit"/> (400 on a non-integer or a negative).</summary>
    public static int Limit(HttpRequest request)
    {
        if (!request.Query.TryGetValue("limit", out var values))
        {
            return MaxLimit;
        }

        var text = values[^1] ?? "";
        if (text.Length == 0 || !text.All(char.IsAsciiDigit))
        {
            throw NovaSchema.InvalidQuery("limit", text, $"{PyRepr.Quote(text)} does not match '^[0-9]*$'");
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? Math.Min(limit, MaxLimit) : MaxLimit;
    }

    public static string? Marker(HttpRequest request) => request.Query.TryGetValue("marker", out var values) ? values[^1] : null;

    public static string? Get(HttpRequest request, string name) => request.Query.TryGetValue(name, out var values) ? values[^1] : null;

    public static bool Has(HttpRequest request, string name) => request.Query.ContainsKey(name);

    /// <summary>
    /// nova's _get_collection_links: a next link when the page is full (the number returned equals the effective
    /// limit), built from the request's parameters sorted by name, with the marker replaced by the last item.
    /// </summary>
    public static string? NextLink(HttpRequest request, string collectionUrl, int returned, string? lastId)
    {
        var limit = Limit(request);
        if (limit == 0 || returned != limit || lastId is null)
        {
            return null;
        }

        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in request.Query)
        {
            parameters[key] = LastValue(values);
        }

        parameters["marker"] = lastId;
        var query = new StringBuilder();
        foreach (var (key, value) in parameters)
        {
            query.Append(query.Length == 0 ? "" : "&").Append(QuotePlus(key)).Append('=').Append(QuotePlus(value));
        }

        return $"{collectionUrl}?{query}";
    }

    /// <summary>Python's urllib.parse.quote_plus.</summary>
    public static string QuotePlus(string value)
    {
        var text = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '~')
            {
                text.Append(c);
            }
            else if (c == ' ')
            {
                text.Append('+');
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    public static ApiException MarkerNotFound(string marker) => ApiException.BadRequest($"marker [{marker}] not found");

    private static string LastValue(StringValues values) => values.Count == 0 ? "" : values[^1] ?? "";
}
