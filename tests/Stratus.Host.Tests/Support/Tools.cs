using Microsoft.Extensions.Logging.Abstractions;
using Stratus.Host.Processes;
using Stratus.Host.Storage.Images;

namespace Stratus.Host.Tests.Support;

/// <summary>The real process runner and qemu-img, for tests that run real tools.</summary>
internal static class Tools
{
    public static ProcessRunner Runner { get; } = new(NullLogger<ProcessRunner>.Instance, TimeProvider.System);

    public static QemuImg QemuImg { get; } = new(Runner);

    public static async Task<CommandResult> RunAsync(string program, params string[] arguments) =>
        (await Runner.RunAsync(program, arguments, TestContext.Current.CancellationToken)).EnsureSuccess();

    /// <summary><c>stat -f</c> of a path: (f_frsize, f_blocks, f_bfree, f_bavail), read by coreutils, not by our code.</summary>
    public static async Task<(long Fragment, long Blocks, long Free, long Available)> StatFileSystemAsync(string path)
    {
        var fields = (await RunAsync("stat", "-f", "-c", "%S %b %f %a", path)).StandardOutput.Trim().Split(' ');
        return (long.Parse(fields[0]), long.Parse(fields[1]), long.Parse(fields[2]), long.Parse(fields[3]));
    }
}
