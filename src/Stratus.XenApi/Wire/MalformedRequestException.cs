namespace Stratus.XenApi.Wire;

/// <summary>A body that is not a well-formed call at all; answered as <c>XMLRPC_UNMARSHAL_FAILURE [expected, received]</c>.</summary>
public sealed class MalformedRequestException(string expected, string received)
    : Exception($"Malformed request: expected {expected}, received {received}")
{
    public string Expected { get; } = expected;

    public string Received { get; } = received;

    public XenApiFailure ToFailure() => new(XenErrors.XmlRpcUnmarshalFailure, Expected, Received);
}
