namespace Stratus.Cli.Xe;

/// <summary>
/// The XenAPI as xe uses it: a call on the logged-in session (the session ref is implied). Failures come back as
/// <see cref="Stratus.XenApi.XenApiFailure"/>. Values are the wire's: XML-RPC ints arrive as strings.
/// </summary>
internal interface IXenApi
{
    Task<object?> CallAsync(string method, IReadOnlyList<object?> arguments, CancellationToken cancellationToken);
}
