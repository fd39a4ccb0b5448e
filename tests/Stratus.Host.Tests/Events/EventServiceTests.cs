using Stratus.Host.Database;
using Stratus.Host.Events;
using Stratus.Testing;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Tests.Events;

public sealed class EventServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task From_EmptyToken_ReturnsEveryObjectAsAdd()
    {
        using var db = new ObjectDatabase(null);
        var events = new EventService(db, TimeProvider.System);
        var refs = db.Write(tx => new[] { tx.Create(XenModel.Network, Map()), tx.Create(XenModel.VM, Map()), tx.Create(XenModel.Task, Map()) });

        var batch = await events.FromAsync(["*"], "", 0, Ct);
        var list = Events(batch);
        Assert.Equal(refs.Order(), list.Select(e => (string)e["ref"]!).Order());
        Assert.All(list, e => Assert.Equal("add", e["operation"]));
        Assert.Equal(new[] { "network", "task", "vm" }, list.Select(e => (string)e["class"]!).Order());
        var snapshot = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(list.Single(e => (string)e["class"]! == "vm")["snapshot"]);
        Assert.Equal("Halted", snapshot["power_state"]);
        Assert.False(snapshot.ContainsKey("ref"));
    }

    [Fact]
    public async Task From_LaterToken_ReturnsOnlyChangesCoalesced()
    {
        using var db = new ObjectDatabase(null);
        var events = new EventService(db, TimeProvider.System);
        var (kept, doomed) = db.Write(tx => (tx.Create(XenModel.Network, Map()), tx.Create(XenModel.Network, Map())));
        var token = Token(await events.FromAsync(["network"], "", 0, Ct));

        db.Write(tx => tx.Update(XenModel.Network, kept, ("name_label", "one")));
        db.Write(tx => tx.Update(XenModel.Network, kept, ("name_label", "two")));
        var added = db.Write(tx => tx.Create(XenModel.Network, Map(("name_label", "new"))));
        db.Write(tx => tx.Update(XenModel.Network, added, ("name_label", "newer")));
        var ephemeral = db.Write(tx => tx.Create(XenModel.Network, Map()));
        db.Write(tx => tx.Delete(XenModel.Network, ephemeral));
        db.Write(tx => tx.Delete(XenModel.Network, doomed));

        var list = Events(await events.FromAsync(["network"], token, 0, Ct));
        // One event per object, with its latest snapshot; created-and-modified is one add; created-and-deleted is nothing.
        Assert.Equal(3, list.Count);
        var mod = Assert.Single(list, e => (string)e["ref"]! == kept);
        Assert.Equal("mod", mod["operation"]);
        Assert.Equal("two", ((IReadOnlyDictionary<string, object?>)mod["snapshot"]!)["name_label"]);
        var add = Assert.Single(list, e => (string)e["ref"]! == added);
        Assert.Equal("add", add["operation"]);
        Assert.Equal("newer", ((IReadOnlyDictionary<string, object?>)add["snapshot"]!)["name_label"]);
        var del = Assert.Single(list, e => (string)e["ref"]! == doomed);
        Assert.Equal("del", del["operation"]);
        Assert.False(del.ContainsKey("snapshot"));
        Assert.DoesNotContain(list, e => (string)e["ref"]! == ephemeral);
    }

    [Fact]
    public async Task From_NothingNew_BlocksUntilACommit()
    {
        using var db = new ObjectDatabase(null);
        var events = new EventService(db, TimeProvider.System);
        var token = Token(await events.FromAsync(["vm"], "", 0, Ct));
        var pending = events.FromAsync(["vm"], token, 60, Ct);
        // A change to a class nobody asked for does not wake the caller with an empty answer.
        db.Write(tx => tx.Create(XenModel.Network, Map()));
        var vm = db.Write(tx => tx.Create(XenModel.VM, Map()));
        var list = Events(await pending.WaitAsync(Ct));
        Assert.Equal(vm, (string)Assert.Single(list)["ref"]!);
    }

    [Fact]
    public async Task From_Timeout_ReturnsEmptyBatchWithFreshToken()
    {
        using var db = new ObjectDatabase(null);
        var events = new EventService(db, TimeProvider.System);
        var first = await events.FromAsync(["vm"], "", 0, Ct);
        db.Write(tx => tx.Create(XenModel.Network, Map()));
        var batch = await events.FromAsync(["vm"], Token(first), 0.2, Ct);
        Assert.Empty(Events(batch));
        Assert.Equal(EventToken.Format(db.Generation), Token(batch));
    }

    [Fact]
    public async Task From_ValidRefCounts_AreExactPerLowercaseClass()
    {
        using var db = new ObjectDatabase(null);
        var events = new EventService(db, TimeProvider.System);
        db.Write(tx =>
        {
            tx.Create(XenModel.Task, Map());
            tx.Create(XenModel.Task, Map());
            tx.Create(XenModel.VM, Map());
        });
        var counts = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>((await events.FromAsync(["vm"], "", 0, Ct))["valid_ref_counts"]);
        // Int32 on the wire (<i4>), and present for task even when task was not subscribed (npm xen-api reads it).
        Assert.Equal(2, counts["task"]);
        Assert.Equal(1, counts["vm"]);
        Assert.Equal(0, counts["sr"]);
    }

    [Fact]
    public async Task From_ObjectSubscription_OnlyThatObject()
    {
        using var db = new ObjectDatabase(null);
        var events = new EventService(db, TimeProvider.System);
        var (a, _) = db.Write(tx => (tx.Create(XenModel.VM, Map()), tx.Create(XenModel.VM, Map())));
        var list = Events(await events.FromAsync([$"VM/{a}"], "", 0, Ct));
        Assert.Equal(a, (string)Assert.Single(list)["ref"]!);
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("vm/not-a-ref")]
    [InlineData("")]
    public async Task From_BadSubscription_IsSubscriptionParseFailure(string subscription)
    {
        using var db = new ObjectDatabase(null);
        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => new EventService(db, TimeProvider.System).FromAsync([subscription], "", 0, Ct));
        Assert.Equal(["EVENT_SUBSCRIPTION_PARSE_FAILURE", subscription], failure.Description);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("1,2,3")]
    [InlineData("-1,0")]
    public async Task From_BadToken_IsTokenParseFailure(string token)
    {
        using var db = new ObjectDatabase(null);
        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => new EventService(db, TimeProvider.System).FromAsync(["*"], token, 0, Ct));
        Assert.Equal(["EVENT_FROM_TOKEN_PARSE_FAILURE", token], failure.Description);
    }

    [Fact]
    public async Task From_TokenFromBeforeARestart_IsEventsLost()
    {
        using var dir = new TempDirectory();
        string token;
        using (var db = new ObjectDatabase(dir.Combine("xapi.db")))
        {
            db.Write(tx => tx.Create(XenModel.Network, Map()));
            token = Token(await new EventService(db, TimeProvider.System).FromAsync(["*"], "", 0, Ct));
        }

        using var reopened = new ObjectDatabase(dir.Combine("xapi.db"));
        var failure = await Assert.ThrowsAsync<XenApiFailure>(() => new EventService(reopened, TimeProvider.System).FromAsync(["*"], token, 0, Ct));
        Assert.Equal(["EVENTS_LOST"], failure.Description);
    }

    [Fact]
    public async Task Inject_ReturnsTokenJustBeforeAModEvent()
    {
        using var db = new ObjectDatabase(null);
        var events = new EventService(db, TimeProvider.System);
        var pool = db.Write(tx => tx.Create(XenModel.Pool, Map()));
        var token = events.Inject("pool", pool);
        var e = Assert.Single(Events(await events.FromAsync(["pool"], token, 0, Ct)));
        Assert.Equal("mod", e["operation"]);
        Assert.Equal(pool, e["ref"]);
        Assert.Equal(["HANDLE_INVALID", "VM", pool], Assert.Throws<XenApiFailure>(() => events.Inject("VM", pool)).Description);
    }

    [Fact]
    public async Task Next_Legacy_RegisteredSessionGetsChangesUnregisteredFails()
    {
        using var db = new ObjectDatabase(null);
        var events = new EventService(db, TimeProvider.System);
        Assert.Equal("SESSION_NOT_REGISTERED", (await Assert.ThrowsAsync<XenApiFailure>(() => events.NextAsync("OpaqueRef:s", Ct))).Code);
        events.Register("OpaqueRef:s", ["vm"]);
        var pending = events.NextAsync("OpaqueRef:s", Ct);
        db.Write(tx => tx.Create(XenModel.Network, Map()));
        var vm = db.Write(tx => tx.Create(XenModel.VM, Map()));
        var list = (await pending.WaitAsync(Ct)).Cast<IReadOnlyDictionary<string, object?>>().ToList();
        Assert.Equal(vm, Assert.Single(list)["ref"]);
        events.Forget("OpaqueRef:s");
        Assert.Equal("SESSION_NOT_REGISTERED", (await Assert.ThrowsAsync<XenApiFailure>(() => events.NextAsync("OpaqueRef:s", Ct))).Code);
    }

    private static List<IReadOnlyDictionary<string, object?>> Events(IReadOnlyDictionary<string, object?> batch) =>
        ((IEnumerable<object?>)batch["events"]!).Cast<IReadOnlyDictionary<string, object?>>().ToList();

    private static string Token(IReadOnlyDictionary<string, object?> batch) => (string)batch["token"]!;

    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
