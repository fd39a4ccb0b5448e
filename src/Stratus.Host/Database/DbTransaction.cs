using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Database;

/// <summary>
/// A unit of work on the <see cref="ObjectDatabase"/>: reads see the transaction's own writes; writes stay pending
/// until the body returns and are committed together, so a handler that fails halfway changes nothing.
/// Keeps the derived "many" side of every relation (VM.VBDs, SR.VDIs, host.resident_VMs, ...) in step with the
/// children's ref fields, which also gives the parent a <c>mod</c> event, as xapi does.
/// </summary>
internal sealed class DbTransaction
{
    private readonly ObjectDatabase _db;
    private readonly Dictionary<string, PendingRow> _pending = new(StringComparer.Ordinal);
    private readonly List<PendingRow> _order = [];

    internal DbTransaction(ObjectDatabase db) => _db = db;

    public bool HasChanges => _order.Count > 0;

    internal IReadOnlyList<PendingRow> Pending => _order;

    /// <summary>The row, or null when no object of that class has that ref.</summary>
    public Row? Find(XenClass cls, string reference)
    {
        if (_pending.TryGetValue(reference, out var pending))
        {
            return pending.Class == cls && pending.Values is not null
                ? new Row(cls, reference, pending.Values, pending.Original?.Created ?? 0, 0)
                : null;
        }

        return _db.HasTable(cls) && _db.TableOf(cls).Rows.TryGetValue(reference, out var row) ? row : null;
    }

    /// <summary>The row, or <c>HANDLE_INVALID [class, ref]</c>.</summary>
    public Row Get(XenClass cls, string reference) =>
        Find(cls, reference) ?? throw new XenApiFailure(XenErrors.HandleInvalid, cls.Name, reference);

    public bool Exists(XenClass cls, string reference) => Find(cls, reference) is not null;

    /// <summary>Every live object of a class, this transaction's writes included.</summary>
    public IEnumerable<Row> All(XenClass cls)
    {
        foreach (var row in _db.TableOf(cls).Rows.Values)
        {
            if (_pending.TryGetValue(row.Ref, out var pending))
            {
                if (pending.Values is not null)
                {
                    yield return new Row(cls, row.Ref, pending.Values, row.Created, 0);
                }
            }
            else
            {
                yield return row;
            }
        }

        foreach (var pending in _order)
        {
            if (pending.Class == cls && pending.Original is null && pending.Values is not null)
            {
                yield return new Row(cls, pending.Ref, pending.Values, 0, 0);
            }
        }
    }

    public int Count(XenClass cls) => All(cls).Count();

    /// <summary>The ref of the object with that uuid, or <c>UUID_INVALID [class, uuid]</c>.</summary>
    public string RefByUuid(XenClass cls, string uuid) =>
        FindByUuid(cls, uuid)?.Ref ?? throw new XenApiFailure(XenErrors.UuidInvalid, cls.Name, uuid);

    public Row? FindByUuid(XenClass cls, string uuid)
    {
        foreach (var pending in _order)
        {
            if (pending.Class == cls && pending.Values is not null && string.Equals((string?)pending.Values[cls.Uuid!.Index], uuid, StringComparison.OrdinalIgnoreCase))
            {
                return Find(cls, pending.Ref);
            }
        }

        return _db.TableOf(cls).RefByUuid.TryGetValue(uuid, out var reference) ? Find(cls, reference) : null;
    }

    /// <summary>
    /// Creates an object. <paramref name="fields"/> holds canonical values by field name; every other field takes its
    /// default, a missing uuid is generated, and derived relation sets start empty. Returns the new ref.
    /// </summary>
    public string Create(XenClass cls, IReadOnlyDictionary<string, object?> fields, string? reference = null)
    {
        reference ??= XenRef.New();
        var values = new object?[cls.Fields.Count];
        foreach (var field in cls.Fields)
        {
            values[field.Index] = fields.TryGetValue(field.Name, out var value) && !_db.DerivedFields.Contains(field)
                ? value
                : field.Default;
        }

        if (cls.Uuid is { } uuidField)
        {
            if (values[uuidField.Index] is not string { Length: > 0 } uuid)
            {
                values[uuidField.Index] = Guid.NewGuid().ToString("D");
            }
            else if (FindByUuid(cls, uuid) is not null)
            {
                throw new XenApiFailure(XenErrors.InvalidValue, "uuid", uuid);
            }
        }

        if (_pending.ContainsKey(reference) || Find(cls, reference) is not null)
        {
            throw new InvalidOperationException($"ref {reference} already exists");
        }

        Stage(new PendingRow(cls, reference, values, null));
        foreach (var field in cls.Fields)
        {
            if (_db.RelationsByChildField.TryGetValue(field, out var relations))
            {
                foreach (var relation in relations)
                {
                    Link(relation, (string)values[field.Index]!, reference, add: true);
                }
            }
        }

        return reference;
    }

    /// <summary>Sets fields of an existing object (canonical values).</summary>
    public void Update(XenClass cls, string reference, params ReadOnlySpan<(string Field, object? Value)> changes)
    {
        var row = Get(cls, reference);
        var values = (object?[])row.Values.Clone();
        List<(XenRelation Relation, string Old, string New)>? relinks = null;
        foreach (var (name, value) in changes)
        {
            var field = cls.Field(name) ?? throw new ArgumentException($"{cls.Name} has no field {name}", nameof(changes));
            var old = values[field.Index];
            values[field.Index] = value;
            if (_db.RelationsByChildField.TryGetValue(field, out var relations) && !Equals(old, value))
            {
                foreach (var relation in relations)
                {
                    (relinks ??= []).Add((relation, (string)old!, (string)value!));
                }
            }
        }

        // The row's own change first, then the parents' derived sets: a parent may be this very row.
        SetValues(cls, reference, row, values);
        foreach (var (relation, old, @new) in relinks ?? [])
        {
            Link(relation, old, reference, add: false);
            Link(relation, @new, reference, add: true);
        }
    }

    /// <summary>Marks the object changed without changing it (event.inject).</summary>
    public void Touch(XenClass cls, string reference)
    {
        var row = Get(cls, reference);
        SetValues(cls, reference, row, (object?[])row.Values.Clone());
    }

    /// <summary>Deletes an object and takes it out of its parents' derived sets.</summary>
    public void Delete(XenClass cls, string reference)
    {
        var row = Get(cls, reference);
        foreach (var field in cls.Fields)
        {
            if (_db.RelationsByChildField.TryGetValue(field, out var relations))
            {
                foreach (var relation in relations)
                {
                    Link(relation, (string)row.Values[field.Index]!, reference, add: false);
                }
            }
        }

        if (_pending.TryGetValue(reference, out var pending))
        {
            if (pending.Original is null)
            {
                _pending.Remove(reference);
                _order.Remove(pending);
            }
            else
            {
                pending.Values = null;
            }
        }
        else
        {
            Stage(new PendingRow(cls, reference, null, _db.TableOf(cls).Rows[reference]));
        }
    }

    private void Link(XenRelation relation, string parentRef, string childRef, bool add)
    {
        if (XenRef.IsNull(parentRef))
        {
            return;
        }

        var parentClass = relation.ParentSet.Class;
        var parent = Find(parentClass, parentRef);
        if (parent is null)
        {
            return;
        }

        var set = (IReadOnlyList<object?>)parent.Values[relation.ParentSet.Index]!;
        object?[] updated;
        if (add)
        {
            if (set.Contains(childRef))
            {
                return;
            }

            updated = [.. set, childRef];
        }
        else
        {
            if (!set.Contains(childRef))
            {
                return;
            }

            updated = set.Where(r => !Equals(r, childRef)).ToArray();
        }

        var values = (object?[])parent.Values.Clone();
        values[relation.ParentSet.Index] = updated;
        SetValues(parentClass, parentRef, parent, values);
    }

    private void SetValues(XenClass cls, string reference, Row current, object?[] values)
    {
        if (_pending.TryGetValue(reference, out var pending))
        {
            pending.Values = values;
        }
        else
        {
            Stage(new PendingRow(cls, reference, values, _db.TableOf(cls).Rows.GetValueOrDefault(reference) ?? current));
        }
    }

    private void Stage(PendingRow pending)
    {
        _pending[pending.Ref] = pending;
        _order.Add(pending);
    }
}
