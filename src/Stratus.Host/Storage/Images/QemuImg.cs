using System.Globalization;
using Stratus.Host.Processes;

namespace Stratus.Host.Storage.Images;

/// <summary>
/// qemu-img, the one tool that reads and writes every image format and reaches files, nfs:// URLs and block devices
/// alike. Formats are always named (<c>-f</c>): probing an uploaded image is how a raw disk that looks like qcow2
/// gets a host file read into it. Images that came from a client are inspected under <c>prlimit</c> (1 GiB of address
/// space, 30 s of CPU for info), as nova does, because a crafted header can make qemu-img allocate without bound.
/// </summary>
internal sealed class QemuImg(ICommandRunner runner)
{
    public const string Program = "qemu-img";

    private static readonly string? Prlimit = ExecutableFinder.Find("prlimit");

    public async Task CreateQcow2Async(string target, long virtualSize, string? backing, CancellationToken cancellationToken)
    {
        List<string> arguments = ["create", "-q", "-f", "qcow2"];
        if (backing is not null)
        {
            arguments.AddRange(["-b", backing, "-F", "qcow2"]);
        }

        arguments.AddRange([target, Bytes(virtualSize)]);
        (await runner.RunAsync(Program, arguments, cancellationToken)).EnsureSuccess();
    }

    /// <summary>
    /// qemu-img info. <paramref name="shared"/> (<c>-U</c>) reads an image a running VM holds open; <paramref name="untrusted"/>
    /// runs it under resource limits.
    /// </summary>
    public async Task<ImageInfo> InfoAsync(string image, string format, bool shared, bool untrusted, CancellationToken cancellationToken)
    {
        List<string> arguments = ["info", "--output=json", "-f", format];
        if (shared)
        {
            arguments.Add("-U");
        }

        arguments.Add(image);
        var result = await RunLimitedAsync(arguments, untrusted ? "--as=1073741824" : null, "--cpu=30", cancellationToken);
        return ImageInfo.Parse(result.EnsureSuccess().StandardOutput);
    }

    /// <summary>qemu-img check of an uploaded image (limited to 2 GiB of address space and 120 s of CPU).</summary>
    public async Task<ImageCheck> CheckAsync(string image, string format, CancellationToken cancellationToken)
    {
        var result = await RunLimitedAsync(["check", "--output=json", "-f", format, image], "--as=2147483648", "--cpu=120", cancellationToken);
        var detail = string.IsNullOrWhiteSpace(result.StandardError) ? result.StandardOutput : result.StandardError;
        return ImageCheck.Parse(result.ExitCode, result.StandardOutput, detail.Trim());
    }

    /// <summary>
    /// qemu-img convert. <paramref name="intoExisting"/> (<c>-n</c>) writes into a target that already exists (a VDI
    /// keeps its own file, size and format); then qemu-img writes zeros explicitly wherever the source has none.
    /// </summary>
    public async Task ConvertAsync(
        string source,
        string sourceFormat,
        string target,
        string targetFormat,
        bool intoExisting,
        IReadOnlyList<string> targetOptions,
        CancellationToken cancellationToken)
    {
        List<string> arguments = ["convert", "-U", "-f", sourceFormat, "-O", targetFormat];
        if (intoExisting)
        {
            arguments.Add("-n");
        }

        arguments.AddRange(targetOptions);
        arguments.AddRange([source, target]);
        (await runner.RunAsync(Program, arguments, cancellationToken)).EnsureSuccess();
    }

    public async Task ResizeAsync(string image, string format, long newSize, CancellationToken cancellationToken) =>
        (await runner.RunAsync(Program, ["resize", "-q", "-f", format, image, Bytes(newSize)], cancellationToken)).EnsureSuccess();

    private Task<CommandResult> RunLimitedAsync(List<string> arguments, string? memoryLimit, string cpuLimit, CancellationToken cancellationToken)
    {
        if (memoryLimit is null || Prlimit is null)
        {
            return runner.RunAsync(Program, arguments, cancellationToken);
        }

        return runner.RunAsync(Prlimit, [memoryLimit, cpuLimit, "--", Program, .. arguments], cancellationToken);
    }

    private static string Bytes(long value) => value.ToString(CultureInfo.InvariantCulture);
}
