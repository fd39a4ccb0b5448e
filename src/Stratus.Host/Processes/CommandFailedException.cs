namespace Stratus.Host.Processes;

/// <summary>An external tool exited non-zero; the message is the tool's own stderr.</summary>
internal sealed class CommandFailedException(CommandResult result)
    : Exception($"{Path.GetFileName(result.FileName)} failed (exit {result.ExitCode}): {result.ErrorMessage}")
{
    public CommandResult Result { get; } = result;
}
