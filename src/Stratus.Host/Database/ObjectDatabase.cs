using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Database;

/// <summary>
/// The host agent's object database (xapi's role of db_cache): every XenAPI object lives here in memory, persisted
/// classes are written through to SQLite before a commit becomes visible, and every commit bumps one global
/// generation that event.from tokens count in. One lock serialises access; transactions are short and do no I/O
/// other than the SQLite commit, so callers do their slow work (QEMU, qemu-img) between transactions.
/// </summary>
internal sealed class ObjectDatabase : IDisposable
{
    private const int MaxTombstones = 100_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<XenClass, Table> _tables = [];
    private readonly List<Tombstone> _tombstones = [];
    private readonly SqliteStore? _store;
    private long _generation;
    private long _horizon;

    /// <summary>Opens the database at <paramref name="path"/>, or a memory-only one when it is null.</summary>
    public ObjectDatabase(string? path)
    {
        foreach (var cls in XenModel.All.Where(c => c.InDatabase))
        {
            _tables[cls] = new Table(cls);
        }

        DerivedFields = XenModel.Relations.Select(r => r.ParentSet).ToHashSet();
        RelationsByChildField = XenModel.Relations.GroupBy(r => r.ChildRef).ToDictionary(g => g.Key, g => g.ToArray());
        if (path is not null)
        {
            _store = new SqliteStore(path);
            Load(_store);
        }

        // Starting is itself a generation: rows that were not persisted (sessions, tasks) vanished without a
        // tombstone, so tokens from before the start cannot be answered exactly (EVENTS_LOST).
        _generation++;
        _horizon = _generation;
    }

    /// <summary>Completes on the next commit.</summary>
    public ChangeSignal Changed { get; } = new();

    /// <summary>The generation of the latest commit.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>The oldest generation whose deletions are still known; older event tokens get EVENTS_LOST.</summary>
    public long Horizon => Interlocked.Read(ref _horizon);

    /// <summary>The "many" sides of relations: stored in rows, derived from the children, never persisted.</summary>
    internal HashSet<XenField> DerivedFields { get; }

    internal Dictionary<XenField, XenRelation[]> RelationsByChildField { get; }

    /// <summary>Runs a read-only view of the committed state.</summary>
    public T Read<T>(Func<DbTransaction, T> read)
    {
        lock (_gate)
        {
            var transaction = new DbTransaction(this);
            var result = read(transaction);
            if (transaction.HasChanges)
            {
                throw new InvalidOperationException("A read transaction tried to write.");
            }

            return result;
        }
    }

    /// <summary>Runs <paramref name="write"/> and commits its changes atomically, or none of them if it throws.</summary>
    public T Write<T>(Func<DbTransaction, T> write)
    {
        lock (_gate)
        {
            var transaction = new DbTransaction(this);
            var result = write(transaction);
            Commit(transaction);
            return result;
        }
    }

    public void Write(Action<DbTransaction> write) => Write(tx =>
    {
        write(tx);
        return true;
    });

    /// <summary>
    /// Collects the changes after generation <paramref name="since"/> for the classes <paramref name="wanted"/> accepts:
    /// live rows changed since then, and deletions of objects that existed then. Also returns the current generation
    /// and the row count of every table (event.from's <c>valid_ref_counts</c>).
    /// </summary>
    public ChangeSet ChangesSince(long since, Func<XenClass, bool> wanted)
    {
        lock (_gate)
        {
            var rows = new List<Row>();
            var deleted = new List<Tombstone>();
            var counts = new Dictionary<string, object?>(_tables.Count, StringComparer.Ordinal);
            foreach (var (cls, table) in _tables)
            {
                counts[cls.EventName] = table.Rows.Count;
                if (!wanted(cls))
                {
                    continue;
                }

                foreach (var row in table.Rows.Values)
                {
                    if (row.Modified > since)
                    {
                        rows.Add(row);
                    }
                }
            }

            for (var i = FirstTombstoneAfter(since); i < _tombstones.Count; i++)
            {
                var tombstone = _tombstones[i];
                if (tombstone.Created <= since && wanted(tombstone.Class))
                {
                    deleted.Add(tombstone);
                }
            }

            return new ChangeSet(rows, deleted, _generation, counts);
        }
    }

    public void Dispose() => _store?.Dispose();

    internal Table TableOf(XenClass cls) =>
        _tables.TryGetValue(cls, out var table) ? table : throw new ArgumentException($"{cls.Name} has no table", nameof(cls));

    internal bool HasTable(XenClass cls) => _tables.ContainsKey(cls);

    private void Commit(DbTransaction transaction)
    {
        if (!transaction.HasChanges)
        {
            return;
        }

        var generation = _generation + 1;
        var changes = new List<RowChange>(transaction.Pending.Count);
        foreach (var pending in transaction.Pending)
        {
            var row = pending.Values is null
                ? null
                : new Row(pending.Class, pending.Ref, pending.Values, pending.Original?.Created ?? generation, generation);
            changes.Add(new RowChange(pending.Ref, row, pending.Class));
        }

        // Durable first: if SQLite refuses, nothing becomes visible.
        _store?.Apply(changes, generation, DerivedFields);

        foreach (var change in changes)
        {
            var table = _tables[change.Class];
            if (change.Row is not null)
            {
                table.Put(change.Row);
            }
            else if (table.Rows.TryGetValue(change.Ref, out var old))
            {
                table.Remove(change.Ref);
                if (change.Class.Events)
                {
                    _tombstones.Add(new Tombstone(change.Class, change.Ref, old.Created, generation));
                }
            }
        }

        if (_tombstones.Count > MaxTombstones)
        {
            var drop = _tombstones.Count - (MaxTombstones / 2);
            Interlocked.Exchange(ref _horizon, _tombstones[drop - 1].Deleted + 1);
            _tombstones.RemoveRange(0, drop);
        }

        Interlocked.Exchange(ref _generation, generation);
        Changed.Pulse();
    }

    private int FirstTombstoneAfter(long since)
    {
        int lo = 0, hi = _tombstones.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_tombstones[mid].Deleted > since)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }

    private void Load(SqliteStore store)
    {
        foreach (var (cls, reference, created, modified, stored) in store.LoadAll())
        {
            if (!_tables.TryGetValue(cls, out var table))
            {
                continue;
            }

            var values = new object?[cls.Fields.Count];
            foreach (var field in cls.Fields)
            {
                values[field.Index] = !DerivedFields.Contains(field) && stored.TryGetValue(field.Name, out var value)
                    ? CoerceStored(field, value)
                    : field.Default;
            }

            table.Put(new Row(cls, reference, values, created, modified));
        }

        // Rebuild the derived sets from the children.
        foreach (var relation in XenModel.Relations)
        {
            if (!_tables.TryGetValue(relation.ChildRef.Class, out var children) || !_tables.TryGetValue(relation.ParentSet.Class, out var parents))
            {
                continue;
            }

            var byParent = new Dictionary<string, List<object?>>(StringComparer.Ordinal);
            foreach (var child in children.Rows.Values)
            {
                var parentRef = (string)child.Values[relation.ChildRef.Index]!;
                if (!XenRef.IsNull(parentRef) && parents.Rows.ContainsKey(parentRef))
                {
                    (byParent.TryGetValue(parentRef, out var list) ? list : byParent[parentRef] = []).Add(child.Ref);
                }
            }

            foreach (var (parentRef, list) in byParent)
            {
                var parent = parents.Rows[parentRef];
                var values = (object?[])parent.Values.Clone();
                values[relation.ParentSet.Index] = list.ToArray();
                parents.Put(new Row(parent.Class, parent.Ref, values, parent.Created, parent.Modified));
            }
        }

        _generation = Math.Max(store.LoadGeneration(), _tables.Values.SelectMany(t => t.Rows.Values).Select(r => r.Modified).DefaultIfEmpty(0).Max());
    }

    private static object? CoerceStored(XenField field, object? value)
    {
        try
        {
            return field.Type.Coerce(value, field.Name);
        }
        catch (XenApiFailure)
        {
            // A value the current schema cannot read (a renamed enum member, say) falls back to the default.
            return field.Default;
        }
    }
}
