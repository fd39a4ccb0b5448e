using System.Text.Encodings.Web;
using System.Text.Json;

namespace Stratus.Cloud.Compute.Api;

/// <summary>
/// A nova response body written straight to the response pipe with a <see cref="Utf8JsonWriter"/>: no node tree, no
/// intermediate string, which is what keeps a detailed list of 1,000 servers cheap.
/// </summary>
internal sealed class NovaResult(int status, Action<Utf8JsonWriter> write) : IResult
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // The body is JSON for JSON clients; HTML-escaping '<' or '+' would only inflate console logs.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public int Status => status;

    public static NovaResult Ok(Action<Utf8JsonWriter> write) => new(200, write);

    public static IResult Empty(int status) => Results.StatusCode(status);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions))
        {
            write(writer);
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }

    /// <summary>The body as a string (tests and golden files).</summary>
    public string Render()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
