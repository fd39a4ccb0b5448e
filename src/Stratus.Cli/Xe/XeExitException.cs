namespace Stratus.Cli.Xe;

/// <summary>Ends xe with an exit code after the message (if any) was printed on stderr (cli_operations.ml ExitWithError).</summary>
internal sealed class XeExitException(int exitCode, string? stderrText = null) : Exception(stderrText ?? $"exit {exitCode}")
{
    public int ExitCode { get; } = exitCode;

    /// <summary>Text for stderr, exactly as printed (newline included).</summary>
    public string? StderrText { get; } = stderrText;
}
