using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Stratus.Host.Database;
using Stratus.Host.Tasks;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Sessions;

/// <summary>
/// Sessions (XenAPI class session): login with the agent's root credentials, validation on every call, logout and
/// expiry. Sessions are database rows that are not persisted, so a restarted agent forgets them and clients
/// log in again on <c>SESSION_INVALID</c>, exactly as with xapi.
/// </summary>
internal sealed class SessionService(ObjectDatabase db, TaskService tasks, HostIdentity host, HostAgentOptions options, TimeProvider time)
{
    private static readonly TimeSpan ActivityGranularity = TimeSpan.FromMinutes(1);

    // The hot path (one lookup per call) stays off the database lock; the row is the record clients read.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _active = new(StringComparer.Ordinal);

    public string Login(string user, string password, string originator)
    {
        if (!Matches(user, options.User) || !Matches(password, options.Password))
        {
            throw new XenApiFailure(XenErrors.SessionAuthenticationFailed, user, "Authentication failure");
        }

        var now = time.GetUtcNow();
        var reference = db.Write(tx => tx.Create(XenModel.Session, new Dictionary<string, object?>
        {
            ["this_host"] = host.HostRef,
            ["last_active"] = now.UtcDateTime,
            ["validation_time"] = now.UtcDateTime,
            ["is_local_superuser"] = true,
            ["auth_user_name"] = user,
            ["originator"] = originator,
        }));
        _active[reference] = now;
        return reference;
    }

    /// <summary>Throws <c>SESSION_INVALID [ref]</c> unless the session is live; records activity coarsely.</summary>
    public void Validate(string session)
    {
        if (!_active.TryGetValue(session, out var last))
        {
            throw new XenApiFailure(XenErrors.SessionInvalid, session);
        }

        var now = time.GetUtcNow();
        if (now - last >= ActivityGranularity && _active.TryUpdate(session, now, last))
        {
            db.Write(tx =>
            {
                if (tx.Exists(XenModel.Session, session))
                {
                    tx.Update(XenModel.Session, session, ("last_active", now.UtcDateTime));
                }
            });
        }
    }

    public bool IsLive(string session) => _active.ContainsKey(session);

    /// <summary>Ends a session; xapi also destroys the tasks it owns.</summary>
    public void Logout(string session)
    {
        _active.TryRemove(session, out _);
        tasks.DestroyOwnedBy(session);
        db.Write(tx =>
        {
            if (tx.Exists(XenModel.Session, session))
            {
                tx.Delete(XenModel.Session, session);
            }
        });
    }

    /// <summary>Ends sessions idle for longer than <paramref name="idle"/>.</summary>
    public int Expire(TimeSpan idle)
    {
        var cutoff = time.GetUtcNow() - idle;
        var stale = _active.Where(p => p.Value < cutoff).Select(p => p.Key).ToList();
        foreach (var session in stale)
        {
            Logout(session);
        }

        return stale.Count;
    }

    private static bool Matches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
