namespace Stratus.Cloud.OpenStack.Microversions;

/// <summary>
/// Negotiates the compute microversion (nova wsgi.py): <c>OpenStack-API-Version: compute X.Y</c> first, else the
/// legacy <c>X-OpenStack-Nova-API-Version</c>, else 2.1; <c>latest</c> means 2.79. A malformed version is 400, an
/// unsupported one 406. Every versioned response, errors included, carries both headers and <c>Vary</c>.
/// </summary>
internal sealed class ComputeMicroversionFilter : IEndpointFilter
{
    private const string ItemKey = "stratus.microversion";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var version = Negotiate(http.Request);
        http.Items[ItemKey] = version;
        var headers = http.Response.Headers;
        headers["OpenStack-API-Version"] = $"compute {version}";
        headers["X-OpenStack-Nova-API-Version"] = version.ToString();
        headers.Vary = "OpenStack-API-Version, X-OpenStack-Nova-API-Version";
        return await next(context);
    }

    public static Microversion Of(HttpContext http) => http.Items[ItemKey] is Microversion version ? version : Microversion.Min;

    public static Microversion Negotiate(HttpRequest request)
    {
        string? text = null;
        foreach (var value in request.Headers["OpenStack-API-Version"].SelectMany(v => (v ?? "").Split(',')))
        {
            var parts = value.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0].Equals("compute", StringComparison.OrdinalIgnoreCase))
            {
                text = parts[1];
            }
        }

        text ??= request.Headers["X-OpenStack-Nova-API-Version"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(text))
        {
            return Microversion.Min;
        }

        if (text.Trim().Equals("latest", StringComparison.OrdinalIgnoreCase))
        {
            return Microversion.Max;
        }

        if (!Microversion.TryParse(text, out var version))
        {
            throw ApiException.BadRequest($"API Version String {text} is of invalid format. Must be of format MajorNum.MinorNum.");
        }

        if (version < Microversion.Min || version > Microversion.Max)
        {
            throw new ApiException(406, $"Version {version} is not supported by the API. Minimum is {Microversion.Min} and maximum is {Microversion.Max}.");
        }

        return version;
    }
}
