using Stratus.Testing;

namespace Stratus.EndToEnd.Tests.HostAgent;

/// <summary>
/// An NFS SR over the XenAPI against a real user-space NFS server (nfs-ganesha on 127.0.0.1, started and stopped
/// by the fixture), with a real qemu-backend agent (its storage drivers are the real ones; no VM is booted).
/// </summary>
[Trait("Category", "Slow")]
public sealed class NfsEndToEndTests(GaneshaServer ganesha) : IClassFixture<GaneshaServer>
{
    private const int MiB = 1 << 20;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NfsSr_CreateImportExportDestroy_RoundTripsTheData()
    {
        if (ganesha.Unavailable is not null)
        {
            if (TestEnvironment.IsCi)
            {
                Assert.Fail($"{ganesha.Unavailable}; CI must install it (.ci/run)");
            }

            Assert.Skip(ganesha.Unavailable);
        }

        TestEnvironment.Require("qemu-system-x86_64", "the qemu backend's agent; apt-get install qemu-system-x86");
        using var data = new TempDirectory("stq-nfs");
        await using var agent = await HostAgentProcess.StartAsync(data.Path, Ct, "qemu", "--accelerator", "tcg");
        using var http = new HttpClient();
        await using var s = await QemuAgentFixture.LoginAsync(agent.Url, Ct);
        var host = Api.List(await s.Call("host.get_all"))[0];

        // SR.create type nfs with XenServer's device_config.
        var sr = await s.Ref("SR.create", host, Dict(("server", ganesha.Server), ("serverpath", ganesha.ExportPath)), "0", "e2e nfs", "", "nfs", "user", true, Dict());
        var uuid = (string)(await s.Field("SR", sr, "uuid"))!;
        Assert.True(Directory.Exists(Path.Combine(ganesha.ExportPath, uuid)), "the SR's directory is on the export");
        Assert.Equal(true, await s.Field("SR", sr, "shared"));
        var size = Api.Int(await s.Field("SR", sr, "physical_size"));
        Assert.True(size > 0);
        if (ganesha.ExportIsPrivateFileSystem)
        {
            Assert.Equal(1L << 30, size);
        }

        var pbd = (string)Api.List(await s.Field("SR", sr, "PBDs"))[0]!;
        Assert.Equal(true, await s.Field("PBD", pbd, "currently_attached"));

        // A VDI, filled with data that has holes, read back through the export handler.
        var vdi = await s.CreateVdi(sr, 8 * MiB, "nfs disk");
        var location = (string)(await s.Field("VDI", vdi, "location"))!;
        Assert.Single(Directory.EnumerateFiles(Path.Combine(ganesha.ExportPath, uuid), $"{location}*"));
        var original = new byte[8 * MiB];
        new Random(42).NextBytes(original);
        Array.Clear(original, 3 * MiB, MiB);
        Array.Clear(original, 7 * MiB, MiB);
        using var scratch = new TempDirectory("stq-nfs-img");
        var rawPath = scratch.Combine("disk.raw");
        await File.WriteAllBytesAsync(rawPath, original, Ct);
        var (status, body) = await QemuAgentFixture.ImportAsync(http, s, vdi, rawPath, "raw", Ct);
        Assert.True(status == 200, $"import: {status} {body}");

        var exported = await http.GetByteArrayAsync(new Uri(agent.Url, $"/export_raw_vdi?vdi={Uri.EscapeDataString(vdi)}&session_id={Uri.EscapeDataString(s.Ref)}&format=raw"), Ct);
        Assert.Equal(original.Length, exported.Length);
        Assert.True(original.AsSpan().SequenceEqual(exported), "the exported disk differs from the imported one");
        Assert.True(Api.Int(await s.Field("SR", sr, "physical_utilisation")) > 0);

        // VDI.destroy removes the file on the server.
        await s.Call("VDI.destroy", vdi);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(ganesha.ExportPath, uuid), $"{location}*"));

        // xapi's order: unplug the PBD, then SR.destroy (which attaches just for the destroy) removes the SR's directory.
        await s.Call("PBD.unplug", pbd);
        await s.Call("SR.destroy", sr);
        Assert.False(Directory.Exists(Path.Combine(ganesha.ExportPath, uuid)));
        Assert.Equal("HANDLE_INVALID", (await s.Fails("SR.get_record", sr)).Code);
        Assert.Equal("HANDLE_INVALID", (await s.Fails("PBD.get_record", pbd)).Code);

        // A second SR, forgotten instead: records go, the data stays on the export.
        var kept = await s.Ref("SR.create", host, Dict(("server", ganesha.Server), ("serverpath", ganesha.ExportPath)), "0", "e2e nfs kept", "", "nfs", "user", true, Dict());
        var keptUuid = (string)(await s.Field("SR", kept, "uuid"))!;
        Assert.Equal("SR_HAS_PBD", (await s.Fails("SR.forget", kept)).Code);
        await s.Call("PBD.unplug", (string)Api.List(await s.Field("SR", kept, "PBDs"))[0]!);
        await s.Call("SR.forget", kept);
        Assert.Equal("HANDLE_INVALID", (await s.Fails("SR.get_record", kept)).Code);
        Assert.True(Directory.Exists(Path.Combine(ganesha.ExportPath, keptUuid)));
    }

    private static Dictionary<string, object?> Dict(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
}
