namespace Stratus.XenApi.Wire;

public enum JsonRpcVersion
{
    /// <summary>Version 1.0: <c>{"result", "error", "id"}</c>, failures as a string array.</summary>
    V1,

    /// <summary>Version 2.0: <c>{"jsonrpc":"2.0", "result"|"error", "id"}</c>, failures as <c>{code:1, message, data}</c>.</summary>
    V2,
}
