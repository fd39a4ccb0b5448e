namespace Stratus.Cli.Xe;

/// <summary>newcli's <c>Usage</c>: print the usage text on stderr (after an optional message) and exit 0.</summary>
internal sealed class XeUsageRequestedException(string? detail = null) : Exception(detail ?? "usage")
{
    /// <summary>A line printed before the usage text, e.g. the port error.</summary>
    public string? Detail { get; } = detail;
}
