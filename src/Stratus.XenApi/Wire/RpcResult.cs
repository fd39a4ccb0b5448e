namespace Stratus.XenApi.Wire;

/// <summary>The outcome of a call: a value, or a XenAPI failure.</summary>
public readonly record struct RpcResult(object? Value, IReadOnlyList<string>? Failure)
{
    public bool IsSuccess => Failure is null;

    public static RpcResult Success(object? value) => new(value, null);

    public static RpcResult Fail(IReadOnlyList<string> description) => new(null, description);

    public static RpcResult Fail(XenApiFailure failure) => new(null, failure.Description);
}
