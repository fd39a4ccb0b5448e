namespace Stratus.XenApi;

/// <summary>
/// A XenAPI error: <c>ErrorDescription = [code, params...]</c>, all strings. Thrown by the server's handlers and
/// raised by the client when a call comes back as a failure.
/// </summary>
public sealed class XenApiFailure : Exception
{
    public XenApiFailure(string code, params string[] parameters)
        : base(Describe(code, parameters))
    {
        Code = code;
        Parameters = parameters;
    }

    public string Code { get; }

    public IReadOnlyList<string> Parameters { get; }

    /// <summary>The whole ErrorDescription array as it goes on the wire.</summary>
    public IReadOnlyList<string> Description => [Code, .. Parameters];

    private static string Describe(string code, string[] parameters) =>
        parameters.Length == 0 ? code : $"{code} [{string.Join(", ", parameters)}]";
}
