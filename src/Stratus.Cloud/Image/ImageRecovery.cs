namespace Stratus.Cloud.Image;

/// <summary>
/// At start, before the listener takes requests (StartingAsync runs ahead of every hosted service's StartAsync),
/// puts images whose upload was cut off by a stop back to queued and drops the partial data.
/// </summary>
internal sealed class ImageRecovery(ImageService images) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => images.RecoverInterruptedUploadsAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
