namespace Stratus.Cloud.Image;

/// <summary>At start, puts images whose upload was cut off by a stop back to queued (and drops the partial data).</summary>
internal sealed class ImageRecovery(ImageService images) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => images.RecoverInterruptedUploadsAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
