using System.Diagnostics;
using System.Text.Json.Nodes;
using Stratus.Testing;

namespace Stratus.EndToEnd.Tests.Image;

/// <summary>
/// The real <c>openstack</c> CLI (openstacksdk's image proxy) against a real controller: create with a qcow2 file
/// made by qemu-img, list, show, save; project isolation; errors as glance returns them.
/// </summary>
public sealed class ImageCliTests(ImageCloudFixture cloud) : IClassFixture<ImageCloudFixture>
{
    [Fact]
    public async Task ImageCreate_Qcow2File_ListShowAndSaveReturnTheSameBytes()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = OpenStackClient.Admin(cloud.Url);
        using var work = new TempDirectory("stratus-e2e-image-file");
        var file = await Qcow2Async(work, "64M", ct);
        var name = CliSteps.Unique("cirros");

        var created = await CliSteps.RunAsync(admin, ct, "image", "create", "--file", file, "--disk-format", "qcow2", "--container-format", "bare", "--public", name, "-f", "json");
        var listed = await CliSteps.RunAsync(admin, ct, "image", "list", "-f", "json");
        var shown = (await CliSteps.RunAsync(admin, ct, "image", "show", name, "-f", "json"))!.AsObject();
        var saved = work.Combine("saved.qcow2");
        await CliSteps.RunAsync(admin, ct, "image", "save", "--file", saved, name);

        var bytes = await File.ReadAllBytesAsync(file, ct);
        Assert.Equal(name, (string)created!["name"]!);
        Assert.Contains(listed!.AsArray(), i => (string)i!["Name"]! == name && (string)i["Status"]! == "active");
        Assert.Equal("active", (string)shown["status"]!);
        Assert.Equal("public", (string)shown["visibility"]!);
        Assert.Equal("qcow2", (string)shown["disk_format"]!);
        Assert.Equal(bytes.Length, (long)shown["size"]!);
        Assert.Equal(64L * 1024 * 1024, (long)shown["virtual_size"]!);
        Assert.Equal(Md5Hex(bytes), (string)shown["checksum"]!);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(saved, ct));
    }

    [Fact]
    public async Task PrivateImage_OfOneProject_IsInvisibleToAnother()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await CliSteps.MemberOfNewProjectAsync(cloud.Url, "img-a", ct);
        var other = await CliSteps.MemberOfNewProjectAsync(cloud.Url, "img-b", ct);
        using var work = new TempDirectory("stratus-e2e-image-file");
        var file = await Qcow2Async(work, "16M", ct);
        var name = CliSteps.Unique("private-image");
        await CliSteps.RunAsync(owner, ct, "image", "create", "--file", file, "--disk-format", "qcow2", "--container-format", "bare", "--private", name);

        var ownList = await CliSteps.RunAsync(owner, ct, "image", "list", "-f", "json");
        var otherList = await CliSteps.RunAsync(other, ct, "image", "list", "-f", "json");
        var otherShow = await other.OpenStackAsync(ct, "image", "show", name);
        var publicByMember = await owner.OpenStackAsync(ct, "image", "create", "--public", CliSteps.Unique("not-allowed"));

        Assert.Contains(ownList!.AsArray(), i => (string)i!["Name"]! == name);
        Assert.DoesNotContain(otherList!.AsArray(), i => (string)i!["Name"]! == name);
        Assert.NotEqual(0, otherShow.ExitCode);
        Assert.Contains($"No Image found for {name}", otherShow.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, publicByMember.ExitCode);
        Assert.Contains("403", publicByMember.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadInput_ReservedPropertyAndBadKernelId_AreRefusedAsGlanceDoes()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = OpenStackClient.Admin(cloud.Url);
        var name = CliSteps.Unique("bad");

        var reserved = await admin.OpenStackAsync(ct, "image", "create", "--property", "os_glance_foo=bar", name);
        await CliSteps.RunAsync(admin, ct, "image", "create", name);
        var badKernel = await admin.OpenStackAsync(ct, "image", "set", "--property", "kernel_id=not-a-uuid", name);
        var token = await CliSteps.TokenAsync(admin, ct);
        var nonUuid = await CliSteps.GetAsync(cloud.Url, "image/v2/images/" + name, token, ct);
        var byName = await CliSteps.GetAsync(cloud.Url, "image/v2/images?name=" + name, token, ct);

        Assert.NotEqual(0, reserved.ExitCode);
        Assert.Contains("403", reserved.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, badKernel.ExitCode);
        Assert.Contains("400", badKernel.Stderr, StringComparison.Ordinal);
        Assert.Equal(404, nonUuid.Status);
        Assert.Equal("text/plain", nonUuid.MediaType);
        Assert.StartsWith("404 Not Found", nonUuid.Body, StringComparison.Ordinal);
        Assert.Equal(200, byName.Status);
        Assert.Single(JsonNode.Parse(byName.Body)!["images"]!.AsArray());
    }

    private static async Task<string> Qcow2Async(TempDirectory directory, string size, CancellationToken cancellationToken)
    {
        var qemuImg = TestEnvironment.Require("qemu-img", "the test image is a real qcow2");
        var path = directory.Combine($"disk-{size}.qcow2");
        using var process = Process.Start(new ProcessStartInfo(qemuImg) { ArgumentList = { "create", "-q", "-f", "qcow2", path, size } })!;
        await process.WaitForExitAsync(cancellationToken);
        Assert.Equal(0, process.ExitCode);
        return path;
    }

    private static string Md5Hex(byte[] data)
    {
        using var md5 = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.MD5);
        md5.AppendData(data);
        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }
}
