using Stratus.Host.Api.Dispatch;
using Stratus.Host.Database;
using Stratus.Host.Database.Where;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Api.Generic;

/// <summary>
/// The messages xapi generates for every class from the datamodel (ocaml/idl/datamodel_utils.ml): get_record,
/// get_all, get_all_records, get_all_records_where, get_by_uuid, get_by_name_label, a getter per field, a setter per
/// RW field, add_to/remove_from for RW maps, add/remove for RW sets, and create/destroy for classes with implicit
/// constructors. Area classes registered afterwards replace any of these that need more than bookkeeping.
/// </summary>
internal sealed class GenericMethods(ObjectDatabase db)
{
    // Classes whose create/destroy the datamodel generates (implicit constructors).
    private static readonly HashSet<string> ImplicitConstructors = ["VM", "PBD", "VDI", "VBD", "network", "VIF", "console", "user"];

    public void Register(MethodTable table)
    {
        foreach (var cls in XenModel.All.Where(c => c.InDatabase))
        {
            RegisterClass(table, cls);
        }
    }

    private void RegisterClass(MethodTable table, XenClass cls)
    {
        var self = new XenParam("self", XenType.RefTo(cls.Name));
        Read(table, $"{cls.Name}.get_record", [self], args => db.Read(tx => tx.Get(cls, args.Ref(0)).ToRecord()));
        Read(table, $"{cls.Name}.get_all", [], _ => db.Read(tx => tx.All(cls).Select(r => (object?)r.Ref).ToArray()));
        Read(table, $"{cls.Name}.get_all_records", [], _ => db.Read(tx => Records(tx.All(cls))));
        Read(table, $"{cls.Name}.get_all_records_where", [new("expr", XenType.String)], args =>
        {
            var text = args.String(0);
            var filter = WhereParser.Parse(text);
            WhereEvaluator.Validate(filter, cls, text);
            return db.Read(tx => Records(tx.All(cls).Where(r => WhereEvaluator.Matches(filter, r))));
        });
        if (cls.Uuid is not null)
        {
            Read(table, $"{cls.Name}.get_by_uuid", [new("uuid", XenType.String)], args => db.Read(tx => tx.RefByUuid(cls, args.String(0))));
        }

        if (cls.NameLabel is { } nameLabel)
        {
            Read(table, $"{cls.Name}.get_by_name_label", [new("label", XenType.String)], args =>
                db.Read(tx => tx.All(cls).Where(r => (string)r[nameLabel]! == args.String(0)).Select(r => (object?)r.Ref).ToArray()));
        }

        foreach (var field in cls.Fields)
        {
            Read(table, $"{cls.Name}.get_{field.Name}", [self], args => db.Read(tx => tx.Get(cls, args.Ref(0))[field]));
            if (field.Qualifier != Qualifier.RW)
            {
                continue;
            }

            Write(table, $"{cls.Name}.set_{field.Name}", [self, new("value", field.Type)], args =>
                db.Write(tx => tx.Update(cls, args.Ref(0), (field.Name, args[1]))));
            if (field.Type.Kind == XenTypeKind.Map)
            {
                RegisterMapMethods(table, cls, field, self);
            }
            else if (field.Type.Kind == XenTypeKind.Set)
            {
                RegisterSetMethods(table, cls, field, self);
            }
        }

        if (ImplicitConstructors.Contains(cls.Name))
        {
            Write(table, $"{cls.Name}.create", [new("args", XenType.RecordOf(cls.Name))], args =>
                db.Write(tx => tx.Create(cls, args.Map(0))), supportsAsync: true);
            Write(table, $"{cls.Name}.destroy", [self], args => db.Write(tx =>
            {
                tx.Get(cls, args.Ref(0));
                tx.Delete(cls, args.Ref(0));
            }), supportsAsync: true);
        }
    }

    private void RegisterMapMethods(MethodTable table, XenClass cls, XenField field, XenParam self)
    {
        var key = new XenParam("key", field.Type.Key!);
        Write(table, $"{cls.Name}.add_to_{field.Name}", [self, key, new("value", field.Type.Element!)], args => db.Write(tx =>
        {
            var row = tx.Get(cls, args.Ref(0));
            var map = row.Map(field.Name);
            var k = XenValue.ToDbString(args[1]);
            if (map.ContainsKey(k))
            {
                throw new XenApiFailure(XenErrors.MapDuplicateKey, cls.Name, field.Name, row.Uuid, k);
            }

            tx.Update(cls, row.Ref, (field.Name, new Dictionary<string, object?>(map, StringComparer.Ordinal) { [k] = args[2] }));
        }));
        Write(table, $"{cls.Name}.remove_from_{field.Name}", [self, key], args => db.Write(tx =>
        {
            // Removing an absent key is not an error (xapi's remove_from is idempotent).
            var row = tx.Get(cls, args.Ref(0));
            var map = row.Map(field.Name);
            var k = XenValue.ToDbString(args[1]);
            if (map.ContainsKey(k))
            {
                var copy = new Dictionary<string, object?>(map, StringComparer.Ordinal);
                copy.Remove(k);
                tx.Update(cls, row.Ref, (field.Name, copy));
            }
        }));
    }

    private void RegisterSetMethods(MethodTable table, XenClass cls, XenField field, XenParam self)
    {
        var value = new XenParam("value", field.Type.Element!);
        Write(table, $"{cls.Name}.add_{field.Name}", [self, value], args => db.Write(tx =>
        {
            var row = tx.Get(cls, args.Ref(0));
            var set = row.Set(field.Name);
            if (!set.Contains(args[1]))
            {
                tx.Update(cls, row.Ref, (field.Name, set.Append(args[1]).ToArray()));
            }
        }));
        Write(table, $"{cls.Name}.remove_{field.Name}", [self, value], args => db.Write(tx =>
        {
            var row = tx.Get(cls, args.Ref(0));
            var set = row.Set(field.Name);
            if (set.Contains(args[1]))
            {
                tx.Update(cls, row.Ref, (field.Name, set.Where(v => !Equals(v, args[1])).ToArray()));
            }
        }));
    }

    private static Dictionary<string, object?> Records(IEnumerable<Row> rows)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            map[row.Ref] = row.ToRecord();
        }

        return map;
    }

    private static void Read(MethodTable table, string name, XenParam[] parameters, Func<Args, object?> body) =>
        table.Add(new XenMethod(name, parameters, parameters.Length, TakesSession: true, SupportsAsync: false,
            (_, args) => ValueTask.FromResult(body(args))) { IsReadOnly = true });

    private static void Write(MethodTable table, string name, XenParam[] parameters, Action<Args> body, bool supportsAsync = false) =>
        Write(table, name, parameters, args =>
        {
            body(args);
            return null;
        }, supportsAsync);

    private static void Write(MethodTable table, string name, XenParam[] parameters, Func<Args, object?> body, bool supportsAsync = false) =>
        table.Add(new XenMethod(name, parameters, parameters.Length, TakesSession: true, supportsAsync,
            (_, args) => ValueTask.FromResult(body(args))));
}
