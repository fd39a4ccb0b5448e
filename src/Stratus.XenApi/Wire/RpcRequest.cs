namespace Stratus.XenApi.Wire;

/// <summary>A decoded call: method name and raw wire parameters, plus the JSON-RPC envelope details when it came as JSON.</summary>
public sealed record RpcRequest(string Method, IReadOnlyList<object?> Params)
{
    /// <summary>The JSON-RPC id (a long or a string); null for XML-RPC.</summary>
    public object? Id { get; init; }

    /// <summary>The JSON-RPC version the reply must use (xapi detects it per request).</summary>
    public JsonRpcVersion Version { get; init; } = JsonRpcVersion.V1;
}
