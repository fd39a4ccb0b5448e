namespace Stratus.Cloud.OpenStack;

/// <summary>Access to what the pipeline attaches to a request: its id and, once authenticated, its caller.</summary>
internal static class HttpContextExtensions
{
    private const string ContextKey = "stratus.request-context";
    private const string RequestIdKey = "stratus.request-id";

    public static string RequestId(this HttpContext http) =>
        http.Items[RequestIdKey] as string ?? (string)(http.Items[RequestIdKey] = "req-" + Guid.NewGuid().ToString("D"));

    public static void SetCaller(this HttpContext http, RequestContext context) => http.Items[ContextKey] = context;

    /// <summary>The authenticated caller; only on routes behind the token filter.</summary>
    public static RequestContext Caller(this HttpContext http) =>
        http.Items[ContextKey] as RequestContext ?? throw ApiException.Unauthorized();
}
