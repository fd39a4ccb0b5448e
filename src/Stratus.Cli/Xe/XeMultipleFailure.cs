namespace Stratus.Cli.Xe;

/// <summary>
/// cli_operations.ml <c>Multiple_failure</c>: with --multiple, every object is tried and each failure is printed on
/// stdout as "operation failed on &lt;uuid&gt;: &lt;message&gt;"; the exit code is 1.
/// </summary>
internal sealed class XeMultipleFailure(IReadOnlyList<KeyValuePair<string, string>> failures) : Exception("operation failed on several objects")
{
    /// <summary>(uuid, message) in the order xapi prints them (the reverse of the order they happened).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Failures { get; } = failures;
}
