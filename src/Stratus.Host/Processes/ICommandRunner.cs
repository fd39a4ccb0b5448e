namespace Stratus.Host.Processes;

/// <summary>
/// Runs an external tool (qemu-img, the lvm2 tools, ganesha) to completion and captures its output. The seam between
/// the storage drivers and the operating system: unit tests hand in a fake that records the command sequence.
/// </summary>
internal interface ICommandRunner
{
    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="arguments"/> (no shell, no quoting) and returns its exit
    /// code and output. A program that cannot be started comes back as exit code 127 with the reason on stderr, as a
    /// shell would report it. Cancellation kills the process and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    Task<CommandResult> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}
