namespace Stratus.XenApi.Client;

public enum XenTransport
{
    /// <summary>JSON-RPC v2 on <c>/jsonrpc</c> (what XenCenter, the SDKs and Xen Orchestra use).</summary>
    JsonRpc,

    /// <summary>XML-RPC on <c>/</c> (what XenAPI.py, nova and older tools use).</summary>
    XmlRpc,
}
