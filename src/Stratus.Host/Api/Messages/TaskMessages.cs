using Stratus.Host.Api.Dispatch;
using Stratus.Host.Database;
using Stratus.Host.Tasks;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Api.Messages;

/// <summary>
/// task.create/destroy/cancel, and the setters a client uses on a task it created for an HTTP transfer.
/// Tasks have no Async variants (a task about a task is not a thing).
/// </summary>
internal sealed class TaskMessages(TaskService tasks, ObjectDatabase db) : IMessageArea
{
    public void Register(MethodTable table)
    {
        table.Message("task.create", (c, a) => tasks.Create(a.String(0), a.String(1), c.Session), supportsAsync: false);
        table.Message("task.destroy", (_, a) =>
        {
            tasks.Destroy(a.Ref(0));
            return null;
        }, supportsAsync: false);
        table.Message("task.cancel", (_, a) =>
        {
            tasks.Cancel(a.Ref(0));
            return null;
        }, supportsAsync: false);
        Setter(table, "task.set_status", "status");
        Setter(table, "task.set_progress", "progress");
        Setter(table, "task.set_result", "result");
        Setter(table, "task.set_error_info", "error_info");
    }

    private void Setter(MethodTable table, string name, string field)
    {
        if (XenMessages.Find(name) is null)
        {
            return;
        }

        table.Message(name, (_, a) =>
        {
            db.Write(tx => tx.Update(XenModel.Task, a.Ref(0), (field, a[1])));
            return null;
        }, supportsAsync: false);
    }
}
