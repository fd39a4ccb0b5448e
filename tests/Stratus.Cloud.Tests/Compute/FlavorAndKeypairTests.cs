using System.Net;
using System.Text.Json.Nodes;
using Stratus.Cloud.Compute.Flavors;
using Stratus.Cloud.Compute.Keypairs;
using Stratus.Cloud.Tests.Compute.Support;

namespace Stratus.Cloud.Tests.Compute;

public sealed class FlavorAndKeypairTests
{
    [Fact]
    public async Task Flavor_CreateAsAdmin_ThenListedWithNovasShapes()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);

        var created = await api.PostAsync("flavors", new JsonObject { ["flavor"] = new JsonObject { ["name"] = "m1.nano", ["id"] = "42", ["ram"] = 128, ["vcpus"] = 1, ["disk"] = 1 } });
        var byDemo = await api.PostAsync("flavors", new JsonObject { ["flavor"] = new JsonObject { ["name"] = "x", ["ram"] = 1, ["vcpus"] = 1, ["disk"] = 1 } }, FakeTokenValidator.DemoToken);
        var duplicate = await api.PostAsync("flavors", new JsonObject { ["flavor"] = new JsonObject { ["name"] = "m1.nano", ["ram"] = 1, ["vcpus"] = 1, ["disk"] = 1 } });
        var detail21 = await api.GetAsync("flavors/detail", FakeTokenValidator.DemoToken);
        var detail275 = await api.GetAsync("flavors/detail?is_public=None", FakeTokenValidator.DemoToken, "2.75");
        var index = await api.GetAsync("flavors?is_public=None", FakeTokenValidator.DemoToken);

        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Contains("\"rxtx_factor\":1.0", created.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, byDemo.Status);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Equal("Flavor with name m1.nano already exists.", duplicate.Fault.Message);
        var flavor21 = detail21.Object["flavors"]![0]!.AsObject();
        Assert.Equal("", flavor21["swap"]!.GetValue<string>());
        Assert.False(flavor21.ContainsKey("extra_specs"));
        Assert.False(flavor21.ContainsKey("description"));
        var flavor275 = detail275.Object["flavors"]![0]!.AsObject();
        Assert.Equal(0, flavor275["swap"]!.GetValue<int>());
        Assert.True(flavor275.ContainsKey("extra_specs"));
        Assert.True(flavor275.ContainsKey("description"));
        Assert.Equal(["id", "links", "name"], index.Object["flavors"]![0]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Flavor_ExtraSpecs_EmptyForOscAndManagedByAdmins()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        await api.AddFlavorAsync();

        var empty = await api.GetAsync("flavors/42/os-extra_specs", FakeTokenValidator.DemoToken);
        var set = await api.PostAsync("flavors/42/os-extra_specs", new JsonObject { ["extra_specs"] = new JsonObject { ["hw:cpu_policy"] = "shared", ["n"] = 3 } });
        var one = await api.GetAsync("flavors/42/os-extra_specs/n", FakeTokenValidator.DemoToken);
        var byDemo = await api.PostAsync("flavors/42/os-extra_specs", new JsonObject { ["extra_specs"] = new JsonObject { ["x"] = "y" } }, FakeTokenValidator.DemoToken);
        var deleted = await api.DeleteAsync("flavors/42/os-extra_specs/n");
        var missing = await api.GetAsync("flavors/42/os-extra_specs/n");
        var unknownFlavor = await api.GetAsync("flavors/nope/os-extra_specs");

        Assert.Equal("{\"extra_specs\":{}}", empty.Text);
        Assert.Equal(HttpStatusCode.OK, set.Status);
        Assert.Equal("3", one.Object["n"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, byDemo.Status);
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("Flavor nope could not be found.", unknownFlavor.Fault.Message);
    }

    [Fact]
    public async Task Flavor_PagingAndPrivateFlavors()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        await api.AddFlavorAsync("1", "m1.tiny", 512);
        await api.AddFlavorAsync("2", "m1.small", 2048);
        await api.AddFlavorAsync("42", "m1.nano", 128);
        await api.AddFlavorAsync("p", "private", 64, isPublic: false);

        var page = await api.GetAsync("flavors?limit=2");
        var next = new Uri(page.Object["flavors_links"]![0]!["href"]!.GetValue<string>()).PathAndQuery;
        var rest = await api.GetAsync(next);
        var demoAll = await api.GetAsync("flavors?is_public=None", FakeTokenValidator.DemoToken);
        var adminAll = await api.GetAsync("flavors?is_public=None");
        var demoPrivate = await api.GetAsync("flavors/p", FakeTokenValidator.DemoToken);
        var minRam = await api.GetAsync("flavors?minRam=1000");

        Assert.Equal(["1", "2"], page.Object["flavors"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()));
        Assert.Equal(["42"], rest.Object["flavors"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()));
        Assert.Equal(3, demoAll.Object["flavors"]!.AsArray().Count);
        Assert.Equal(4, adminAll.Object["flavors"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.NotFound, demoPrivate.Status);
        Assert.Equal(["2"], minRam.Object["flavors"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("flavors?is_public=maybe")).Status);
    }

    [Fact]
    public async Task Flavor_EnsureAsync_CreatesOnceThenReturnsTheExisting()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);
        var nano = new Flavor { Id = "42", Name = "m1.nano", MemoryMb = 128, Vcpus = 1, RootGb = 1 };

        var first = await api.Flavors.EnsureAsync(nano, TestContext.Current.CancellationToken);
        var second = await api.Flavors.EnsureAsync(nano with { MemoryMb = 999 }, TestContext.Current.CancellationToken);

        Assert.Equal(first.InternalId, second.InternalId);
        Assert.Equal(128, second.MemoryMb);
    }

    [Fact]
    public async Task Keypair_GenerateImportListDelete()
    {
        await using var api = await ComputeApiHost.StartAsync(TestContext.Current.CancellationToken);

        var generated = await api.PostAsync("os-keypairs", new JsonObject { ["keypair"] = new JsonObject { ["name"] = "gen" } }, FakeTokenValidator.DemoToken, "2.2");
        var publicKey = generated.Object["keypair"]!["public_key"]!.GetValue<string>();
        var imported = await api.PostAsync("os-keypairs", new JsonObject { ["keypair"] = new JsonObject { ["name"] = "imp", ["public_key"] = publicKey } }, FakeTokenValidator.DemoToken);
        var duplicate = await api.PostAsync("os-keypairs", new JsonObject { ["keypair"] = new JsonObject { ["name"] = "imp", ["public_key"] = publicKey } }, FakeTokenValidator.DemoToken);
        var invalid = await api.PostAsync("os-keypairs", new JsonObject { ["keypair"] = new JsonObject { ["name"] = "bad", ["public_key"] = "ssh-rsa not-base64!" } }, FakeTokenValidator.DemoToken);
        var badName = await api.PostAsync("os-keypairs", new JsonObject { ["keypair"] = new JsonObject { ["name"] = "a/b" } }, FakeTokenValidator.DemoToken);
        var list = await api.GetAsync("os-keypairs", FakeTokenValidator.DemoToken, "2.2");
        var adminList = await api.GetAsync("os-keypairs");
        var show = await api.GetAsync("os-keypairs/imp", FakeTokenValidator.DemoToken);
        var deleted = await api.DeleteAsync("os-keypairs/imp", FakeTokenValidator.DemoToken, "2.2");
        var gone = await api.GetAsync("os-keypairs/imp", FakeTokenValidator.DemoToken);

        Assert.Equal(HttpStatusCode.Created, generated.Status);
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", generated.Object["keypair"]!["private_key"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith(" Generated-by-Nova", publicKey, StringComparison.Ordinal);
        Assert.Equal("ssh", generated.Object["keypair"]!["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, imported.Status);
        Assert.False(imported.Object["keypair"]!.AsObject().ContainsKey("private_key"));
        Assert.Equal(generated.Object["keypair"]!["fingerprint"]!.GetValue<string>(), imported.Object["keypair"]!["fingerprint"]!.GetValue<string>());
        Assert.Equal(47, imported.Object["keypair"]!["fingerprint"]!.GetValue<string>().Length);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Equal("Key pair 'imp' already exists.", duplicate.Fault.Message);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Equal("Keypair data is invalid: failed to generate fingerprint", invalid.Fault.Message);
        Assert.Equal(HttpStatusCode.BadRequest, badName.Status);
        Assert.Equal(["gen", "imp"], list.Object["keypairs"]!.AsArray().Select(k => k!["keypair"]!["name"]!.GetValue<string>()));
        Assert.Equal("ssh", list.Object["keypairs"]![0]!["keypair"]!["type"]!.GetValue<string>());
        Assert.Empty(adminList.Object["keypairs"]!.AsArray());
        Assert.False(show.Object["keypair"]!["deleted"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
    }

    [Fact]
    public void SshFingerprint_KnownKey_IsColonSeparatedMd5OfTheBlob()
    {
        // ssh-keygen -l -E md5 prints the same for this key.
        const string Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl test";

        var fingerprint = KeyMaterial.SshFingerprint(Key);

        Assert.NotNull(fingerprint);
        Assert.Equal(16, fingerprint.Split(':').Length);
        Assert.Null(KeyMaterial.SshFingerprint("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl test"));
    }
}
