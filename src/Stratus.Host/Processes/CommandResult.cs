namespace Stratus.Host.Processes;

/// <summary>What a finished command left behind: its exit code and its captured standard output and error.</summary>
internal sealed record CommandResult(string FileName, IReadOnlyList<string> Arguments, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The command as a person would type it (for messages and logs).</summary>
    public string CommandLine => CommandLineText.Format(FileName, Arguments);

    /// <summary>Returns this result, or throws <see cref="CommandFailedException"/> when the exit code is not 0.</summary>
    public CommandResult EnsureSuccess() => Succeeded ? this : throw new CommandFailedException(this);
}
