namespace Stratus.Host.Processes;

/// <summary>How an external command ended: its exit code and everything it wrote.</summary>
internal sealed record CommandResult(string FileName, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The command's own words for a failure: stderr if it said anything, else stdout, else the exit code.</summary>
    public string ErrorMessage
    {
        get
        {
            var text = StandardError.Trim();
            if (text.Length == 0)
                text = StandardOutput.Trim();
            return text.Length == 0 ? $"{Path.GetFileName(FileName)} exited with code {ExitCode}" : text;
        }
    }
}
