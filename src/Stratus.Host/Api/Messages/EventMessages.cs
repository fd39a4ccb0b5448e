using Stratus.Host.Api.Dispatch;
using Stratus.Host.Events;

namespace Stratus.Host.Api.Messages;

/// <summary>event.from, event.inject, event.get_current_id and the legacy register/unregister/next.</summary>
internal sealed class EventMessages(EventService events) : IMessageArea
{
    public void Register(MethodTable table)
    {
        table.Message("event.from", async (c, a) => await events.FromAsync(a.Set(0), a.String(1), a.Float(2), c.Cancellation), supportsAsync: false);
        table.Message("event.inject", (_, a) => events.Inject(a.String(0), a.String(1)), supportsAsync: false);
        table.Message("event.get_current_id", (_, _) => events.CurrentId, supportsAsync: false);
        table.Message("event.register", (c, a) =>
        {
            events.Register(c.Session!, a.Set(0));
            return null;
        }, supportsAsync: false);
        table.Message("event.unregister", (c, a) =>
        {
            events.Unregister(c.Session!, a.Set(0));
            return null;
        }, supportsAsync: false);
        table.Message("event.next", async (c, _) => await events.NextAsync(c.Session!, c.Cancellation), supportsAsync: false);
    }
}
