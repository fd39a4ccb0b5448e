using Microsoft.Extensions.Logging.Abstractions;

namespace Stratus.Host.Processes;

/// <summary>
/// Static access to <see cref="ProcessRunner"/> for code that is not built by dependency injection (the test image
/// builder, the CLI, the QEMU backend's helpers): the same runner, logging nowhere. A program that cannot be
/// started comes back as exit code 127 with the reason on stderr.
/// </summary>
internal static class ExternalCommand
{
    private static readonly ProcessRunner Runner = new(NullLogger<ProcessRunner>.Instance, TimeProvider.System);

    public static Task<CommandResult> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        Runner.RunAsync(fileName, arguments, cancellationToken);

    /// <summary>Runs and throws <see cref="CommandFailedException"/> unless the exit code is 0; returns stdout.</summary>
    public static async Task<string> RunCheckedAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        (await Runner.RunAsync(fileName, arguments, cancellationToken)).EnsureSuccess().StandardOutput;

    /// <summary>The tool's own words for a failure: stderr if it said anything, else stdout, else its exit code.</summary>
    public static string ErrorText(CommandResult result)
    {
        var text = (string.IsNullOrWhiteSpace(result.StandardError) ? result.StandardOutput : result.StandardError).Trim();
        return text.Length > 0 ? text : $"{Path.GetFileName(result.FileName)} exited with code {result.ExitCode}";
    }

    /// <summary>
    /// The absolute path of <paramref name="name"/> on PATH, or in /usr/sbin and /sbin (where ip and mkfs.vfat live,
    /// and which a non-root PATH often lacks); null when it is nowhere.
    /// </summary>
    public static string? Find(string name) =>
        ExecutableFinder.Find(name)
        ?? (name.Contains('/') ? null : new[] { "/usr/sbin", "/sbin" }.Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists));
}
