namespace Stratus.Host.Processes;

/// <summary>An external tool could not be started at all (not installed, not executable).</summary>
internal sealed class CommandNotFoundException(string fileName, Exception inner)
    : Exception($"cannot run {fileName}: {inner.Message}", inner)
{
    public string FileName { get; } = fileName;
}
