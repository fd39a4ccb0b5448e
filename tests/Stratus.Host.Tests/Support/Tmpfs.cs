namespace Stratus.Host.Tests.Support;

/// <summary>
/// A small tmpfs mounted for one test: a file system of known size that nothing else writes to, so capacity can be
/// compared exactly and "full" can be reached quickly. Needs root (CAP_SYS_ADMIN); <see cref="TryMountAsync"/> returns
/// null elsewhere.
/// </summary>
internal sealed class Tmpfs : IAsyncDisposable
{
    private Tmpfs(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public static async Task<Tmpfs?> TryMountAsync(string path, long bytes)
    {
        Directory.CreateDirectory(path);
        var result = await Tools.Runner.RunAsync("mount", ["-t", "tmpfs", "-o", $"size={bytes},mode=0755", "tmpfs", path], TestContext.Current.CancellationToken);
        return result.Succeeded ? new Tmpfs(path) : null;
    }

    public async ValueTask DisposeAsync() =>
        await Tools.Runner.RunAsync("umount", ["-l", Path], CancellationToken.None);
}
