using System.Diagnostics;
using System.Text;

namespace Stratus.Benchmarks.VmBoot;

/// <summary>
/// Waits for the test image's banner in a serial log by reading only what was appended since the last look, every
/// millisecond or so. Both contenders are timed by this same code, so its own latency cancels out of the overhead.
/// </summary>
internal static class BannerWatch
{
    private static readonly byte[] Banner = Encoding.ASCII.GetBytes(Stratus.Host.Images.TestImageBanner.Prefix);

    /// <summary>Returns the timestamp (Stopwatch ticks) at which the banner was first seen.</summary>
    public static async Task<long> WaitAsync(string logPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var seen = new List<byte>();
        long offset = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (File.Exists(logPath))
            {
                await using var file = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                if (file.Length > offset)
                {
                    file.Position = offset;
                    var chunk = new byte[file.Length - offset];
                    var read = await file.ReadAsync(chunk, cancellationToken);
                    offset += read;
                    seen.AddRange(chunk.AsSpan(0, read));
                    if (seen.ToArray().AsSpan().IndexOf(Banner) >= 0)
                        return Stopwatch.GetTimestamp();
                }
            }

            await Task.Delay(1, cancellationToken);
        }

        throw new TimeoutException($"no banner in {logPath} within {timeout}");
    }
}
