namespace Stratus.Cli.Xe;

/// <summary>
/// A command-line mistake (xapi_cli.ml <c>param_error</c>): prints "<see cref="Prefix"/>: <see cref="Detail"/>"
/// (or just the detail when there is no prefix) and "For usage run: 'xe help'" on stderr, exit 1.
/// </summary>
internal sealed class XeUsageException(string prefix, string detail) : Exception(prefix.Length > 0 ? $"{prefix}: {detail}" : detail)
{
    public string Prefix { get; } = prefix;

    public string Detail { get; } = detail;
}
