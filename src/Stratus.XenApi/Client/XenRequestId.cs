namespace Stratus.XenApi.Client;

/// <summary>
/// The request id that calls made in the current async flow carry to the server as <c>X-Request-Id</c> (the
/// controller's <c>req-…</c>, so one id finds a request's log lines in the controller and on the host). Ambient, like
/// a log scope: <c>using (XenRequestId.Begin(id)) { … }</c> covers every XenAPI call and HTTP transfer inside it.
/// </summary>
public static class XenRequestId
{
    /// <summary>The HTTP header the id travels in (the host agent logs it in the call's scope and echoes it back).</summary>
    public const string Header = "X-Request-Id";

    private static readonly AsyncLocal<string?> Ambient = new();

    /// <summary>The id in effect, or null.</summary>
    public static string? Current => Ambient.Value;

    /// <summary>Makes <paramref name="requestId"/> current until the returned scope is disposed (the previous one comes back).</summary>
    public static IDisposable Begin(string? requestId)
    {
        var previous = Ambient.Value;
        Ambient.Value = requestId;
        return new Scope(previous);
    }

    private sealed class Scope(string? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
