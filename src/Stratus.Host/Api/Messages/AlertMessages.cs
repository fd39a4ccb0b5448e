using Stratus.Host.Api.Dispatch;
using Stratus.Host.Database;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Api.Messages;

/// <summary>
/// The XenAPI <c>message</c> class (alerts): message.create/destroy/get/get_since. Here messages are ordinary
/// persisted rows, so they reach clients through event.from like everything else (class <c>message</c>).
/// </summary>
internal sealed class AlertMessages(ObjectDatabase db, TimeProvider time) : IMessageArea
{
    public void Register(MethodTable table)
    {
        table.Message("message.create", (_, a) => Create(a.String(0), a.Int(1), a.String(2), a.String(3), a.String(4)));
        table.Message("message.destroy", (_, a) =>
        {
            db.Write(tx =>
            {
                tx.Get(XenModel.Message, a.Ref(0));
                tx.Delete(XenModel.Message, a.Ref(0));
            });
            return null;
        });
        table.Message("message.get_since", (_, a) => Where(m => (DateTime)m["timestamp"]! > (DateTime)a[0]!));
        table.Message("message.get", (_, a) => Where(m =>
            m.String("cls") == a.String(0) && string.Equals(m.String("obj_uuid"), a.String(1), StringComparison.OrdinalIgnoreCase)
            && (DateTime)m["timestamp"]! > (DateTime)a[2]!));
    }

    /// <summary>Creates an alert about an object, which must exist (UUID_INVALID otherwise).</summary>
    public string Create(string name, long priority, string cls, string objUuid, string body) =>
        db.Write(tx =>
        {
            var target = XenModel.Find(cls == "Host" ? "host" : cls);
            if (target is not null && target.InDatabase)
            {
                tx.RefByUuid(target, objUuid);
            }

            return tx.Create(XenModel.Message, new Dictionary<string, object?>
            {
                ["name"] = name,
                ["priority"] = priority,
                ["cls"] = cls,
                ["obj_uuid"] = objUuid,
                ["timestamp"] = time.GetUtcNow().UtcDateTime,
                ["body"] = body,
            });
        });

    private Dictionary<string, object?> Where(Func<Row, bool> predicate) =>
        db.Read(tx => tx.All(XenModel.Message).Where(predicate).ToDictionary(m => m.Ref, m => (object?)m.ToRecord(), StringComparer.Ordinal));
}
