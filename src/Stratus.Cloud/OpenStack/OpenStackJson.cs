using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Cloud.OpenStack;

/// <summary>
/// Reading request bodies and writing the time formats each service uses (contract §1.3). A body that is not a JSON
/// object is a 400 in the service's envelope, never a 500.
/// </summary>
internal static class OpenStackJson
{
    /// <summary>
    /// How bodies are written: like the Python services, without HTML-safe escaping (keystone's media type carries
    /// a literal '+'; the default encoder would write \u002B).
    /// </summary>
    public static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const int MaxBody = 1 << 20;

    /// <summary>Nova's created/updated and most services' timestamps: <c>2024-05-01T12:00:00Z</c>.</summary>
    public static string Iso(DateTime value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Nova's launched_at, terminated_at and service updated_at: naive microseconds, <c>2024-05-01T12:00:05.000000</c>.</summary>
    public static string Naive(DateTime value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    /// <summary>Keystone's issued_at and expires_at: <c>2024-05-01T13:00:00.000000Z</c>.</summary>
    public static string Keystone(DateTime value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static JsonNode? Naive(DateTime? value) => value is { } v ? Naive(v) : null;

    /// <summary>Reads the request body as a JSON object (400 if it is missing, too large or not an object).</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBody)
        {
            throw new ApiException(413, "Request is too large.");
        }

        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, cancellationToken);
            if (buffer.Length > MaxBody)
            {
                throw new ApiException(413, "Request is too large.");
            }

            if (buffer.Length == 0)
            {
                throw ApiException.BadRequest("The request body is empty; a JSON object is required.");
            }

            return JsonNode.Parse(buffer.ToArray()) as JsonObject ?? throw ApiException.BadRequest("The request body must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"Malformed request body: {e.Message}");
        }
    }

    /// <summary>A JSON response with the given status.</summary>
    public static IResult Result(JsonNode body, int status = 200) =>
        Results.Content(body.ToJsonString(Options), "application/json", System.Text.Encoding.UTF8, status);
}
