using System.CommandLine;
using Spectre.Console;
using Stratus.Host.Images;

namespace Stratus.Cli.Commands;

/// <summary>
/// <c>stratus image build-test --out DIR [--format raw|qcow2|all] [--kernel PATH] [--busybox PATH]</c>: builds the
/// cirros-like test image (kernel, initramfs, boot disks, manifest.json) from the host's linux-image and busybox-static.
/// </summary>
internal static class ImageCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Directory to write vmlinuz, initrd.img, disk.raw/disk.qcow2 and manifest.json to.", Required = true };
        var format = new Option<string>("--format") { Description = "Boot disk to build: raw, qcow2 or all.", DefaultValueFactory = _ => "all" };
        format.AcceptOnlyFromAmong("raw", "qcow2", "all", "none");
        var kernel = new Option<FileInfo?>("--kernel") { Description = "Kernel to use (vmlinuz-<version>, modules from /lib/modules/<version>); default: newest in /boot." };
        var busybox = new Option<FileInfo?>("--busybox") { Description = "Statically linked busybox; default: /bin/busybox from busybox-static." };

        var buildTest = new Command("build-test", "Build the test image: a kernel and busybox initramfs that prints a banner on ttyS0, reads a config drive and answers ping.")
        {
            output, format, kernel, busybox,
        };
        buildTest.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new TestImageOptions(parseResult.GetRequiredValue(output).FullName)
            {
                Disks = parseResult.GetValue(format) switch
                {
                    "raw" => TestImageDisks.Raw,
                    "qcow2" => TestImageDisks.Qcow2,
                    "none" => TestImageDisks.None,
                    _ => TestImageDisks.All,
                },
                KernelPath = parseResult.GetValue(kernel)?.FullName,
                BusyboxPath = parseResult.GetValue(busybox)?.FullName,
            };
            try
            {
                var image = await new TestImageBuilder().BuildAsync(options, cancellationToken);
                var table = new Table().AddColumns("file", "path");
                table.AddRow("kernel", Markup.Escape(image.KernelPath));
                if (image.PvhKernelPath is not null)
                    table.AddRow("kernel (PVH, faster)", Markup.Escape(image.PvhKernelPath));
                table.AddRow("initrd", Markup.Escape(image.InitrdPath));
                if (image.RawDiskPath is not null)
                    table.AddRow("disk (raw)", Markup.Escape(image.RawDiskPath));
                if (image.Qcow2DiskPath is not null)
                    table.AddRow("disk (qcow2)", Markup.Escape(image.Qcow2DiskPath));
                table.AddRow("kernel args", Markup.Escape(image.KernelArgs));
                AnsiConsole.Write(table);
                Console.Error.WriteLine(image.Reused ? $"{image.Directory} was up to date (kernel {image.KernelVersion})." : $"Built in {image.Directory} (kernel {image.KernelVersion}).");
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException or ArgumentException or IOException or Stratus.Host.Processes.CommandFailedException)
            {
                Console.Error.WriteLine($"stratus image build-test: {e.Message}");
                return ExitCodes.Failure;
            }
        });

        return new Command("image", "Guest images for testing.") { buildTest };
    }
}
