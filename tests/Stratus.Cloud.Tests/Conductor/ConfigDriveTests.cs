using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Stratus.Cloud.Compute.Instances;
using Stratus.Cloud.Conductor.ConfigDrive;
using Stratus.Cloud.Network;
using Stratus.Cloud.Tests.Fakes;
using Stratus.Testing;

namespace Stratus.Cloud.Tests.Conductor;

public sealed class ConfigDriveTests
{
    private static readonly Instance Server = new()
    {
        Id = Guid.Parse("b4e0a940-30fa-4616-97fe-4e07b754a0f4"),
        Name = "eumel2",
        Hostname = "eumel2",
        ProjectId = "f81f9cb2f7dd4880b396263c54203e6f",
        UserId = "a31e781a8e3148e1bcf9aca5e774a36b",
        Flavor = ConductorHarness.Small,
        KeyName = "devstack",
        KeyData = "ssh-ed25519 AAAAC3Nz test@example",
        UserData = Convert.ToBase64String(Encoding.UTF8.GetBytes("#!/bin/sh\necho hello from user data\n")),
        Metadata = new Dictionary<string, string> { ["role"] = "web" },
    };

    private static readonly PortAllocation Port = new("3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8", "net-1", "private", "fa:16:3e:12:34:56", 1450,
        [new FixedIp("subnet-1", "10.0.0.7", 4, "10.0.0.0/24", "10.0.0.1", ["10.0.0.2"])]);

    [Fact]
    public void MetaData_Server_UuidHostnameKeysAndMetadata()
    {
        var meta = ConfigDriveBuilder.MetaData(Server, "nova");

        Assert.Equal("b4e0a940-30fa-4616-97fe-4e07b754a0f4", (string?)meta["uuid"]);
        Assert.Equal(("eumel2", "nova"), ((string?)meta["hostname"], (string?)meta["availability_zone"]));
        Assert.Equal("ssh-ed25519 AAAAC3Nz test@example", (string?)meta["public_keys"]!["devstack"]);
        Assert.Equal("web", (string?)meta["meta"]!["role"]);
    }

    [Fact]
    public void NetworkData_Port_StaticIpv4WithRouteAndDns()
    {
        var network = ConfigDriveBuilder.NetworkData([Port]);

        var link = network["links"]![0]!;
        Assert.Equal(("tap3f2a1b4c-5d", "fa:16:3e:12:34:56", 1450), ((string?)link["id"], (string?)link["ethernet_mac_address"], (int)link["mtu"]!));
        var net = network["networks"]![0]!;
        Assert.Equal(("ipv4", "tap3f2a1b4c-5d", "10.0.0.7", "255.255.255.0"), ((string?)net["type"], (string?)net["link"], (string?)net["ip_address"], (string?)net["netmask"]));
        Assert.Equal("10.0.0.1", (string?)net["routes"]![0]!["gateway"]);
        Assert.Equal("10.0.0.2", (string?)network["services"]![0]!["address"]);
    }

    [Fact]
    public void FatImage_Content_BootSectorDescribesFat12WithTheLabel()
    {
        var image = FatImage.Build("config-2", new Dictionary<string, byte[]> { ["openstack/latest/meta_data.json"] = "{}"u8.ToArray() }, DateTime.UtcNow, 42);

        Assert.Equal(0, image.Length % 512);
        Assert.Equal((0x55, 0xAA), (image[510], image[511]));
        Assert.Equal("config-2   ", Encoding.ASCII.GetString(image, 43, 11));
        Assert.Equal("FAT12   ", Encoding.ASCII.GetString(image, 54, 8));
        Assert.Equal(image.Length / 512, BitConverter.ToUInt16(image, 19));
    }

    [Fact]
    public async Task Build_ConfigDrive_ReadableByMtoolsAndCleanForFsck()
    {
        var ct = TestContext.Current.CancellationToken;
        var mtype = TestEnvironment.Require("mtype", "reads the FAT image as a guest would (apt: mtools)");
        var fsck = TestEnvironment.Require("fsck.vfat", "checks the FAT structures (apt: dosfstools)");
        using var data = new TempDirectory();
        var path = data.Combine("config-drive.img");
        await File.WriteAllBytesAsync(path, ConfigDriveBuilder.Build(Server, "nova", [Port], DateTime.UtcNow), ct);

        var check = await RunAsync(fsck, ["-n", path], ct);
        var meta = await RunAsync(mtype, ["-i", path, "::openstack/latest/meta_data.json"], ct);
        var network = await RunAsync(mtype, ["-i", path, "::openstack/latest/network_data.json"], ct);
        var user = await RunAsync(mtype, ["-i", path, "::openstack/latest/user_data"], ct);
        var label = await RunAsync(TestEnvironment.Require("mlabel", "reads the volume label (apt: mtools)"), ["-i", path, "-s", "::"], ct);

        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Equal("eumel2", (string?)JsonNode.Parse(meta.Stdout)!["hostname"]);
        Assert.Equal("10.0.0.7", (string?)JsonNode.Parse(network.Stdout)!["networks"]![0]!["ip_address"]);
        Assert.Equal("#!/bin/sh\necho hello from user data\n", user.Stdout);
        Assert.Contains("config-2", label.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FatImage_ManyFilesAndLongNames_AllReadBack()
    {
        var ct = TestContext.Current.CancellationToken;
        var mtype = TestEnvironment.Require("mtype", "reads the FAT image (apt: mtools)");
        var fsck = TestEnvironment.Require("fsck.vfat", "checks the FAT structures (apt: dosfstools)");
        using var data = new TempDirectory();
        var files = Enumerable.Range(0, 40).ToDictionary(i => $"openstack/content/a-rather-long-file-name-number-{i:00}.txt", i => Encoding.UTF8.GetBytes(new string((char)('a' + (i % 26)), 700 * i)));
        var path = data.Combine("many.img");
        await File.WriteAllBytesAsync(path, FatImage.Build("config-2", files, DateTime.UtcNow, 7), ct);

        Assert.True((await RunAsync(fsck, ["-n", path], ct)).ExitCode == 0);
        foreach (var (name, content) in files.Where((_, i) => i % 7 == 0))
        {
            Assert.Equal(Encoding.UTF8.GetString(content), (await RunAsync(mtype, ["-i", path, "::" + name], ct)).Stdout);
        }
    }

    private static async Task<CliResult> RunAsync(string program, IEnumerable<string> args, CancellationToken ct)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // mtools refuses images whose geometry it cannot guess unless told not to check.
        info.Environment["MTOOLS_SKIP_CHECK"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
