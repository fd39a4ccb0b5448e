using Stratus.XenApi.Schema;

namespace Stratus.Host.Api.Dispatch;

/// <summary>
/// A callable method: its wire name, parameters after the session, how many of them are required (trailing ones
/// may have defaults, as login's version and originator do), whether it takes a session, whether an
/// <c>Async.</c> variant exists, and the handler.
/// </summary>
internal sealed record XenMethod(
    string Name,
    IReadOnlyList<XenParam> Params,
    int Required,
    bool TakesSession,
    bool SupportsAsync,
    XenHandler Handler)
{
    /// <summary>Whether the call only reads (no transaction, no task): getters and listings.</summary>
    public bool IsReadOnly { get; init; }
}
