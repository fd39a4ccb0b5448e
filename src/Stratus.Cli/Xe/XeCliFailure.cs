namespace Stratus.Cli.Xe;

/// <summary>
/// A failure xe reports as "Error: message" on stderr, exit 1: cli_util.ml <c>Cli_failure</c> (the CLI's own
/// checks) and record_util.ml <c>Record_failure</c> (values that do not parse).
/// </summary>
internal sealed class XeCliFailure(string message) : Exception(message);
