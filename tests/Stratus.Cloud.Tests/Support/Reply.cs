using System.Text;
using System.Text.Json.Nodes;

namespace Stratus.Cloud.Tests.Support;

/// <summary>An HTTP response as a test sees it: status, media type, body bytes and headers.</summary>
internal sealed record Reply(int Status, string? MediaType, byte[] Body, IReadOnlyDictionary<string, string> Headers)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("empty JSON body");

    public JsonObject Object => Json.AsObject();

    public override string ToString() => $"{Status} {MediaType}: {Text}";
}
