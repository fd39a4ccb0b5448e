namespace Stratus.Cli.Up;

/// <summary>A controller API call that failed, with the call and the service's own error body.</summary>
internal sealed class CloudApiException(int status, string call, string body)
    : Exception($"{call} failed with HTTP {status}: {body.Trim()}")
{
    public int Status { get; } = status;
}
