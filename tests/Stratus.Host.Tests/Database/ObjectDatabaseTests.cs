using Stratus.Host.Database;
using Stratus.Testing;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Tests.Database;

public sealed class ObjectDatabaseTests
{
    [Fact]
    public void Write_BodyThrowsHalfway_ChangesNothing()
    {
        using var db = new ObjectDatabase(null);
        var generation = db.Generation;
        Assert.Throws<XenApiFailure>(() => db.Write(tx =>
        {
            var vm = tx.Create(XenModel.VM, Fields(("name_label", "half")));
            tx.Create(XenModel.VBD, Fields(("VM", vm)));
            throw new XenApiFailure(XenErrors.InternalError, "boom");
        }));
        Assert.Equal(generation, db.Generation);
        Assert.Empty(db.Read(tx => tx.All(XenModel.VM).ToList()));
        Assert.Empty(db.Read(tx => tx.All(XenModel.VBD).ToList()));
    }

    [Fact]
    public void Write_SeesItsOwnPendingWrites()
    {
        using var db = new ObjectDatabase(null);
        db.Write(tx =>
        {
            var vm = tx.Create(XenModel.VM, Fields(("name_label", "a")));
            Assert.Equal("a", tx.Get(XenModel.VM, vm).String("name_label"));
            tx.Update(XenModel.VM, vm, ("name_label", "b"));
            Assert.Equal("b", Assert.Single(tx.All(XenModel.VM)).String("name_label"));
            Assert.Equal(vm, tx.RefByUuid(XenModel.VM, tx.Get(XenModel.VM, vm).Uuid));
            tx.Delete(XenModel.VM, vm);
            Assert.Null(tx.Find(XenModel.VM, vm));
        });
        Assert.Empty(db.Read(tx => tx.All(XenModel.VM).ToList()));
    }

    [Fact]
    public void Read_ThatWrites_Throws()
    {
        using var db = new ObjectDatabase(null);
        Assert.Throws<InvalidOperationException>(() => db.Read(tx => tx.Create(XenModel.Network, Fields())));
        Assert.Empty(db.Read(tx => tx.All(XenModel.Network).ToList()));
    }

    [Fact]
    public void Create_ChildRefs_MaintainParentSets()
    {
        using var db = new ObjectDatabase(null);
        var (vm, other, vdi, vbd) = db.Write(tx =>
        {
            var vm = tx.Create(XenModel.VM, Fields());
            var other = tx.Create(XenModel.VM, Fields());
            var vdi = tx.Create(XenModel.VDI, Fields());
            var vbd = tx.Create(XenModel.VBD, Fields(("VM", vm), ("VDI", vdi)));
            return (vm, other, vdi, vbd);
        });
        Assert.Equal([vbd], Set(db, XenModel.VM, vm, "VBDs"));
        Assert.Equal([vbd], Set(db, XenModel.VDI, vdi, "VBDs"));

        db.Write(tx => tx.Update(XenModel.VBD, vbd, ("VM", other)));
        Assert.Empty(Set(db, XenModel.VM, vm, "VBDs"));
        Assert.Equal([vbd], Set(db, XenModel.VM, other, "VBDs"));

        db.Write(tx => tx.Delete(XenModel.VBD, vbd));
        Assert.Empty(Set(db, XenModel.VM, other, "VBDs"));
        Assert.Empty(Set(db, XenModel.VDI, vdi, "VBDs"));
    }

    [Fact]
    public void Create_DerivedSetInRecord_IsIgnored()
    {
        using var db = new ObjectDatabase(null);
        var vm = db.Write(tx => tx.Create(XenModel.VM, Fields(("VBDs", new object?[] { "OpaqueRef:bogus" }))));
        Assert.Empty(Set(db, XenModel.VM, vm, "VBDs"));
    }

    [Fact]
    public void Create_DuplicateUuid_IsInvalidValue()
    {
        using var db = new ObjectDatabase(null);
        var uuid = Guid.NewGuid().ToString();
        db.Write(tx => tx.Create(XenModel.Network, Fields(("uuid", uuid))));
        var failure = Assert.Throws<XenApiFailure>(() => db.Write(tx => tx.Create(XenModel.Network, Fields(("uuid", uuid)))));
        Assert.Equal(["INVALID_VALUE", "uuid", uuid], failure.Description);
    }

    [Fact]
    public void Get_UnknownRefOrUuid_IsHandleOrUuidInvalid()
    {
        using var db = new ObjectDatabase(null);
        Assert.Equal(["HANDLE_INVALID", "SR", "OpaqueRef:nope"], Assert.Throws<XenApiFailure>(() => db.Read(tx => tx.Get(XenModel.SR, "OpaqueRef:nope"))).Description);
        Assert.Equal(["UUID_INVALID", "SR", "nope"], Assert.Throws<XenApiFailure>(() => db.Read(tx => tx.RefByUuid(XenModel.SR, "nope"))).Description);
    }

    [Fact]
    public void Reopen_FromSqlite_RestoresPersistedRowsAndDerivedSetsButNotSessionsOrTasks()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("xapi.db");
        string vm, vbd, uuid;
        long generation;
        using (var db = new ObjectDatabase(path))
        {
            (vm, vbd) = db.Write(tx =>
            {
                var vm = tx.Create(XenModel.VM, Fields(("name_label", "kept"), ("memory_static_max", 9007199254740993L),
                    ("other_config", XenValue.Map(("k", "v"))), ("created_by", "x"), ("tags", new object?[] { "a", "b" })));
                return (vm, tx.Create(XenModel.VBD, Fields(("VM", vm))));
            });
            db.Write(tx => tx.Create(XenModel.Session, Fields()));
            db.Write(tx => tx.Create(XenModel.Task, Fields()));
            db.Write(tx => tx.Update(XenModel.VM, vm, ("power_state", "Running")));
            uuid = db.Read(tx => tx.Get(XenModel.VM, vm).Uuid);
            generation = db.Generation;
        }

        using var reopened = new ObjectDatabase(path);
        var row = reopened.Read(tx => tx.Get(XenModel.VM, vm));
        Assert.Equal("kept", row.String("name_label"));
        Assert.Equal("Running", row.String("power_state"));
        Assert.Equal(9007199254740993L, row.Int("memory_static_max"));
        Assert.Equal("v", row.Map("other_config")["k"]);
        Assert.Equal(["a", "b"], row.Set("tags"));
        Assert.Equal(vm, reopened.Read(tx => tx.RefByUuid(XenModel.VM, uuid)));
        Assert.Equal([vbd], row.Set("VBDs"));
        Assert.Empty(reopened.Read(tx => tx.All(XenModel.Session).ToList()));
        Assert.Empty(reopened.Read(tx => tx.All(XenModel.Task).ToList()));
        // Generations never go back, so old tokens can be told apart; and they cannot be answered exactly.
        Assert.True(reopened.Generation > generation);
        Assert.True(reopened.Horizon > generation);
    }

    [Fact]
    public void Reopen_AfterDelete_ObjectStaysDeleted()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("xapi.db");
        string gone;
        using (var db = new ObjectDatabase(path))
        {
            gone = db.Write(tx => tx.Create(XenModel.Network, Fields()));
            db.Write(tx => tx.Delete(XenModel.Network, gone));
        }

        using var reopened = new ObjectDatabase(path);
        Assert.Null(reopened.Read(tx => tx.Find(XenModel.Network, gone)));
    }

    [Fact]
    public void ChangesSince_ReportsModifiedRowsAndTombstonesOfObjectsThatExistedThen()
    {
        using var db = new ObjectDatabase(null);
        var (old, doomed) = db.Write(tx => (tx.Create(XenModel.Network, Fields()), tx.Create(XenModel.Network, Fields())));
        var token = db.Generation;
        var fresh = db.Write(tx => tx.Create(XenModel.Network, Fields()));
        var ephemeral = db.Write(tx => tx.Create(XenModel.Network, Fields()));
        db.Write(tx => tx.Delete(XenModel.Network, ephemeral));
        db.Write(tx => tx.Delete(XenModel.Network, doomed));
        db.Write(tx => tx.Update(XenModel.Network, old, ("name_label", "touched")));

        var changes = db.ChangesSince(token, c => c == XenModel.Network);
        Assert.Equal(new[] { fresh, old }.Order(), changes.Rows.Select(r => r.Ref).Order());
        // The object created and deleted after the token leaves no trace; the one that existed does.
        Assert.Equal(doomed, Assert.Single(changes.Deleted).Ref);
        Assert.Equal(db.Generation, changes.Generation);
        Assert.Equal(2, changes.Counts["network"]);
    }

    [Fact]
    public async Task Changed_PulsesOnCommit()
    {
        using var db = new ObjectDatabase(null);
        var next = db.Changed.Next;
        Assert.False(next.IsCompleted);
        db.Write(tx => tx.Create(XenModel.Network, Fields()));
        await next.WaitAsync(TestContext.Current.CancellationToken);
    }

    private static IReadOnlyList<object?> Set(ObjectDatabase db, XenClass cls, string reference, string field) =>
        db.Read(tx => tx.Get(cls, reference).Set(field));

    private static Dictionary<string, object?> Fields(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
