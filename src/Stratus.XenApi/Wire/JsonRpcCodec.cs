using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Stratus.XenApi.Wire;

/// <summary>
/// JSON-RPC as xapi speaks it (ocaml-rpc jsonrpc.ml): the version is detected per request and echoed; v2 successes
/// omit <c>error</c> and v2 failures omit <c>result</c> (npm json-rpc-protocol rejects <c>"error": null</c> in v2);
/// a v2 failure is <c>{code: 1, message: CODE, data: [params]}</c>, a v1 failure the whole string array.
/// Ints are JSON numbers, datetimes xapi-form strings.
/// </summary>
public static class JsonRpcCodec
{
    private const int MaxDepth = 64;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly JsonDocumentOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    public static RpcRequest ReadCall(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, ReaderOptions);
        }
        catch (JsonException e)
        {
            throw new MalformedRequestException("a JSON-RPC request", e.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new MalformedRequestException("a JSON-RPC request object", root.ValueKind.ToString());
            }

            var version = root.TryGetProperty("jsonrpc", out var v) && v.ValueKind == JsonValueKind.String && v.GetString() == "2.0"
                ? JsonRpcVersion.V2
                : JsonRpcVersion.V1;
            if (!root.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String || method.GetString() is not { Length: > 0 } methodName)
            {
                throw new MalformedRequestException("a method name", "a request without \"method\"");
            }

            // A notification (no id) gets no reply in JSON-RPC; xapi refuses them.
            if (!root.TryGetProperty("id", out var idElement) || idElement.ValueKind is not (JsonValueKind.Number or JsonValueKind.String))
            {
                throw new MalformedRequestException("an id (string or integer)", "a request without \"id\"");
            }

            object id = idElement.ValueKind == JsonValueKind.String
                ? idElement.GetString()!
                : idElement.TryGetInt64(out var n) ? n : throw new MalformedRequestException("an integer id", idElement.GetRawText());
            var parameters = new List<object?>();
            if (root.TryGetProperty("params", out var ps))
            {
                if (ps.ValueKind != JsonValueKind.Array)
                {
                    throw new MalformedRequestException("params as an array", ps.ValueKind.ToString());
                }

                foreach (var p in ps.EnumerateArray())
                {
                    parameters.Add(ToValue(p));
                }
            }

            return new RpcRequest(methodName, parameters) { Id = id, Version = version };
        }
    }

    public static void WriteSuccess(IBufferWriter<byte> output, JsonRpcVersion version, object? id, object? value)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        if (version == JsonRpcVersion.V2)
        {
            writer.WriteString("jsonrpc", "2.0");
        }

        writer.WritePropertyName("result");
        WriteValue(writer, value);
        if (version == JsonRpcVersion.V1)
        {
            writer.WriteNull("error");
        }

        WriteId(writer, id);
        writer.WriteEndObject();
    }

    public static void WriteFailure(IBufferWriter<byte> output, JsonRpcVersion version, object? id, IReadOnlyList<string> description)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        if (version == JsonRpcVersion.V2)
        {
            writer.WriteString("jsonrpc", "2.0");
            writer.WriteStartObject("error");
            writer.WriteNumber("code", 1);
            writer.WriteString("message", description[0]);
            writer.WriteStartArray("data");
            for (var i = 1; i < description.Count; i++)
            {
                writer.WriteStringValue(description[i]);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("result");
            writer.WriteStartArray("error");
            foreach (var item in description)
            {
                writer.WriteStringValue(item);
            }

            writer.WriteEndArray();
        }

        WriteId(writer, id);
        writer.WriteEndObject();
    }

    public static void WriteCall(IBufferWriter<byte> output, JsonRpcVersion version, object id, string method, IReadOnlyList<object?> parameters)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        if (version == JsonRpcVersion.V2)
        {
            writer.WriteString("jsonrpc", "2.0");
        }

        writer.WriteString("method", method);
        writer.WriteStartArray("params");
        foreach (var p in parameters)
        {
            WriteValue(writer, p);
        }

        writer.WriteEndArray();
        WriteId(writer, id);
        writer.WriteEndObject();
    }

    /// <summary>Reads a reply: returns the result, or throws <see cref="XenApiFailure"/> for either version's error form.</summary>
    public static object? ReadResponse(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, ReaderOptions);
        }
        catch (JsonException e)
        {
            throw new MalformedRequestException("a JSON-RPC response", e.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
            {
                if (error.ValueKind == JsonValueKind.Array)
                {
                    var parts = error.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToArray();
                    throw new XenApiFailure(parts.Length > 0 ? parts[0] : XenErrors.InternalError, parts.Skip(1).ToArray());
                }

                var code = error.TryGetProperty("message", out var m) ? m.GetString() ?? XenErrors.InternalError : XenErrors.InternalError;
                var data = error.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Array
                    ? d.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToArray()
                    : [];
                throw new XenApiFailure(code, data);
            }

            return root.TryGetProperty("result", out var result) ? ToValue(result) : null;
        }
    }

    public static object? ToValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        // The cast matters: "? l : GetDouble()" would make every integer a double (C# unifies long and double).
        JsonValueKind.Number => element.TryGetInt64(out var l) ? (object)l : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => element.EnumerateArray().Select(ToValue).ToList(),
        JsonValueKind.Object => ToMap(element),
        _ => null,
    };

    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case double d:
                writer.WriteNumberValue(double.IsFinite(d) ? d : 0.0);
                break;
            case DateTime dt:
                writer.WriteStringValue(XenValue.FormatDateTime(dt));
                break;
            case IReadOnlyDictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (k, v) in map)
                {
                    writer.WritePropertyName(k);
                    WriteValue(writer, v);
                }

                writer.WriteEndObject();
                break;
            case IReadOnlyDictionary<string, string> stringMap:
                writer.WriteStartObject();
                foreach (var (k, v) in stringMap)
                {
                    writer.WriteString(k, v);
                }

                writer.WriteEndObject();
                break;
            case IReadOnlyList<object?> list:
                writer.WriteStartArray();
                for (var i = 0; i < list.Count; i++)
                {
                    WriteValue(writer, list[i]);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"Not a XenAPI value: {value.GetType().Name}", nameof(value));
        }
    }

    private static Dictionary<string, object?> ToMap(JsonElement element)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            map[property.Name] = ToValue(property.Value);
        }

        return map;
    }

    private static void WriteId(Utf8JsonWriter writer, object? id)
    {
        switch (id)
        {
            case long l:
                writer.WriteNumber("id", l);
                break;
            case string s:
                writer.WriteString("id", s);
                break;
            default:
                writer.WriteNull("id");
                break;
        }
    }
}
