using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Stratus.Cloud.Tests.Compute.Support;

/// <summary>A response as a test reads it: status, parsed JSON body (if any), headers and raw text.</summary>
internal sealed record ApiResponse(HttpStatusCode Status, JsonNode? Body, HttpResponseHeaders Headers, string Text)
{
    public JsonObject Object => Body as JsonObject ?? throw new InvalidOperationException($"not a JSON object: {Status} {Text}");

    /// <summary>The nova fault body's single key and message, e.g. ("badRequest", "...").</summary>
    public (string Name, int Code, string Message) Fault
    {
        get
        {
            var (name, value) = Object.Single();
            return (name, value!["code"]!.GetValue<int>(), value["message"]!.GetValue<string>());
        }
    }

    public override string ToString() => $"{(int)Status} {Text}";
}
