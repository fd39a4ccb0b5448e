using Stratus.Host.Storage.Nfs;
using Stratus.Host.Tests.Support;
using Stratus.Testing;

namespace Stratus.Host.Tests.Storage;

[Collection(NfsCollection.Name)]
[Trait("Category", "Slow")]
public sealed class NfsClientTests(GaneshaServer ganesha)
{
    [Fact]
    public async Task Stat_ThreadKeepsGettingSignals_EveryCallSucceeds()
    {
        // SIGCHLD arrives whenever one of the agent's qemu-img or QEMU children exits, and it interrupts poll() on
        // whichever thread it lands. libnfs's synchronous API reports that as a fatal "Poll failed"; NfsClient runs
        // its own loop and retries. Here the signals are aimed at the very thread doing NFS calls.
        if (ganesha.Unavailable is not null)
        {
            Requires.Missing(ganesha.Unavailable);
        }

        using var stop = new CancellationTokenSource();
        var threadId = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        Exception? failure = null;
        var calls = 0;
        var worker = new Thread(() =>
        {
            threadId.SetResult(Signals.CurrentThreadId());
            try
            {
                using var client = NfsClient.Mount(ganesha.Server, ganesha.ExportPath, TimeSpan.FromSeconds(30));
                for (; calls < 3000; calls++)
                {
                    Assert.NotNull(client.Stat("/"));
                }
            }
            catch (Exception exception)
            {
                failure = exception;
            }
            finally
            {
                stop.Cancel();
            }
        });
        worker.Start();
        var tid = await threadId.Task;
        var signals = 0;
        while (!stop.IsCancellationRequested)
        {
            Signals.Send(Signals.ProcessId(), tid, Signals.SigChld);
            signals++;
            Thread.SpinWait(2000);
        }

        worker.Join();
        Assert.Null(failure);
        Assert.Equal(3000, calls);
        Assert.True(signals > 100, $"only {signals} signals were sent");
    }
}
