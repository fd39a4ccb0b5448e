namespace Stratus.Host.Processes;

/// <summary>A command exited with a non-zero code. The message names the command, the code and the last of stderr.</summary>
internal sealed class CommandFailedException : Exception
{
    public CommandFailedException(CommandResult result)
        : base($"`{result.CommandLine}` exited with code {result.ExitCode}: {Summarise(result)}")
    {
        Result = result;
    }

    public CommandResult Result { get; }

    /// <summary>The tool's own words: stderr (or stdout when stderr is empty), trimmed to its last 2,000 characters.</summary>
    public string Detail => Summarise(Result);

    private static string Summarise(CommandResult result)
    {
        var text = (string.IsNullOrWhiteSpace(result.StandardError) ? result.StandardOutput : result.StandardError).Trim();
        return text.Length <= 2000 ? text : "…" + text[^2000..];
    }
}
