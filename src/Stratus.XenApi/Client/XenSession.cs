namespace Stratus.XenApi.Client;

/// <summary>
/// A logged-in session. Prepends its ref to every call and logs in again once on <c>SESSION_INVALID</c>
/// (the agent forgets sessions when it restarts, as xapi does).
/// </summary>
public sealed class XenSession : IAsyncDisposable
{
    private readonly string _user;
    private readonly string _password;

    private XenSession(XenApiClient client, string user, string password, string sessionRef)
    {
        Client = client;
        _user = user;
        _password = password;
        Ref = sessionRef;
    }

    public XenApiClient Client { get; }

    public string Ref { get; private set; }

    public static async Task<XenSession> LoginAsync(XenApiClient client, string user, string password, CancellationToken cancellationToken)
    {
        var sessionRef = await LoginRefAsync(client, user, password, cancellationToken);
        return new XenSession(client, user, password, sessionRef);
    }

    /// <summary>Calls a method that takes the session as its first parameter.</summary>
    public async Task<object?> CallAsync(string method, CancellationToken cancellationToken, params object?[] parameters)
    {
        try
        {
            return await Client.CallAsync(method, [Ref, .. parameters], cancellationToken);
        }
        catch (XenApiFailure failure) when (failure.Code == XenErrors.SessionInvalid)
        {
            Ref = await LoginRefAsync(Client, _user, _password, cancellationToken);
            return await Client.CallAsync(method, [Ref, .. parameters], cancellationToken);
        }
    }

    public async Task<T> CallAsync<T>(string method, CancellationToken cancellationToken, params object?[] parameters) =>
        (T)(await CallAsync(method, cancellationToken, parameters))!;

    /// <summary><c>C.get_all_records</c> as ref → record.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>>> GetAllRecordsAsync(string className, CancellationToken cancellationToken)
    {
        var map = await CallAsync($"{className}.get_all_records", cancellationToken) as IReadOnlyDictionary<string, object?> ?? XenValue.EmptyMap;
        return map.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, object?>)p.Value!, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyDictionary<string, object?>> GetRecordAsync(string className, string reference, CancellationToken cancellationToken) =>
        (IReadOnlyDictionary<string, object?>)(await CallAsync($"{className}.get_record", cancellationToken, reference))!;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Client.CallAsync("session.logout", [Ref], CancellationToken.None);
        }
        catch (Exception e) when (e is XenApiFailure or HttpRequestException or TaskCanceledException)
        {
            // Logging out of a session the server already forgot is not an error worth reporting.
        }
    }

    private static async Task<string> LoginRefAsync(XenApiClient client, string user, string password, CancellationToken cancellationToken) =>
        (string)(await client.CallAsync("session.login_with_password", [user, password, "2.21", "stratus"], cancellationToken))!;
}
