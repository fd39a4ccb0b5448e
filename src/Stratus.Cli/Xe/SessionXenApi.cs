using Stratus.XenApi.Client;

namespace Stratus.Cli.Xe;

/// <summary><see cref="IXenApi"/> over a real <see cref="XenSession"/>.</summary>
internal sealed class SessionXenApi(XenSession session) : IXenApi
{
    public Task<object?> CallAsync(string method, IReadOnlyList<object?> arguments, CancellationToken cancellationToken) =>
        session.CallAsync(method, cancellationToken, [.. arguments]);
}
