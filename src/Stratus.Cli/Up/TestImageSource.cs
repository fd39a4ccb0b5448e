using Stratus.Host.Images;

namespace Stratus.Cli.Up;

/// <summary>
/// The image <c>stratus up</c> registers as <c>cirros</c>: the test image (kernel and busybox initramfs on a FAT
/// qcow2 disk), built from the host's own packages into DATA/images on the first run and reused afterwards (the
/// builder leaves an up-to-date directory alone).
/// </summary>
internal static class TestImageSource
{
    public static Func<IProgress<string>, CancellationToken, Task<string>> For(RunDirectory run) => async (progress, cancellationToken) =>
    {
        progress.Report($"Building the test image in {run.Images} (first run only)…");
        var logger = new ProgressLogger<TestImageBuilder>(progress);
        var image = await new TestImageBuilder(logger).BuildAsync(new TestImageOptions(run.Images) { Disks = TestImageDisks.Qcow2 }, cancellationToken);
        return image.Qcow2DiskPath ?? throw new InvalidOperationException($"the test image in {run.Images} has no qcow2 disk");
    };
}
