using Stratus.Host.Api.Dispatch;
using Stratus.Host.Events;
using Stratus.Host.Sessions;

namespace Stratus.Host.Api.Messages;

/// <summary>
/// session.login_with_password takes 2, 3 or 4 arguments (version and originator have defaults: npm xen-api sends
/// 2, nova 4, the C# SDK falls back from 4 to 3 to 2 on MESSAGE_PARAMETER_COUNT_MISMATCH). The session's other
/// getters (get_this_host, get_is_local_superuser, get_rbac_permissions, ...) are generic field getters.
/// </summary>
internal sealed class SessionMessages(SessionService sessions, EventService events) : IMessageArea
{
    public void Register(MethodTable table)
    {
        table.Message("session.login_with_password", (_, a) => sessions.Login(a.String(0), a.String(1), a.String(3)), optionalTrailing: 2);
        table.Message("session.slave_local_login_with_password", (_, a) => sessions.Login(a.String(0), a.String(1), ""));
        table.Message("session.logout", (c, _) => Logout(c.Session!), supportsAsync: false);
        table.Message("session.local_logout", (c, _) => Logout(c.Session!), supportsAsync: false);
    }

    private object? Logout(string session)
    {
        events.Forget(session);
        sessions.Logout(session);
        return null;
    }
}
