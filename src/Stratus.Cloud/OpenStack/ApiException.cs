namespace Stratus.Cloud.OpenStack;

/// <summary>
/// An API error with its HTTP status. Handlers throw it; <see cref="Faults.OpenStackFaultMiddleware"/> writes it in
/// the body shape of the service the request was for (nova, keystone, neutron, glance). <see cref="Kind"/> is
/// neutron's error type (<c>NetworkNotFound</c>); <see cref="Details"/> goes where the service has a place for it.
/// </summary>
internal sealed class ApiException(int status, string message, string? kind = null, string? details = null) : Exception(message)
{
    public int Status { get; } = status;

    public string? Kind { get; } = kind;

    public string? Details { get; } = details;

    public static ApiException BadRequest(string message, string? kind = "BadRequest") => new(400, message, kind);

    public static ApiException Unauthorized(string message = "The request you have made requires authentication.") => new(401, message, "NotAuthorized");

    public static ApiException Forbidden(string message, string? kind = "PolicyNotAuthorized") => new(403, message, kind);

    public static ApiException NotFound(string message, string? kind = "NotFound") => new(404, message, kind);

    public static ApiException Conflict(string message, string? kind = "Conflict") => new(409, message, kind);

    public static ApiException OverLimit(string message, string? kind = "OverQuota") => new(413, message, kind);
}
