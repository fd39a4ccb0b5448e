using Stratus.Host.Processes;
using Stratus.Host.Tests.Support;

namespace Stratus.Host.Tests.Processes;

public sealed class ProcessRunnerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_FailingCommand_CapturesExitCodeAndStderr()
    {
        var result = await Tools.Runner.RunAsync("sh", ["-c", "echo out; echo 'it broke' >&2; exit 3"], Ct);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", result.StandardOutput);
        Assert.Equal("it broke\n", result.StandardError);
        var failure = Assert.Throws<CommandFailedException>(() => result.EnsureSuccess());
        Assert.Equal("`sh -c 'echo out; echo '\\''it broke'\\'' >&2; exit 3'` exited with code 3: it broke", failure.Message);
    }

    [Fact]
    public async Task RunAsync_ProgramMissing_Exit127WithTheReason()
    {
        var result = await Tools.Runner.RunAsync("stratus-no-such-program", ["x"], Ct);

        Assert.Equal(127, result.ExitCode);
        Assert.StartsWith("stratus-no-such-program: cannot run:", result.StandardError);
    }

    [Fact]
    public async Task RunAsync_Cancelled_KillsTheProcess()
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var pidFile = Path.Join(Path.GetTempPath(), $"stratus-runner-{Guid.NewGuid():N}");
        var run = Tools.Runner.RunAsync("sh", ["-c", $"echo $$ > {pidFile}; exec sleep 600"], cancellation.Token);
        while (!File.Exists(pidFile) || (await File.ReadAllTextAsync(pidFile, Ct)).Trim().Length == 0)
        {
            await Task.Delay(20, Ct);
        }

        var pid = int.Parse((await File.ReadAllTextAsync(pidFile, Ct)).Trim());
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} survived the cancellation");
        File.Delete(pidFile);
    }

    [Fact]
    public async Task RunAsync_Environment_LocaleIsC()
    {
        var result = await Tools.Runner.RunAsync("sh", ["-c", "echo $LC_ALL"], Ct);

        Assert.Equal("C\n", result.StandardOutput);
    }
}
