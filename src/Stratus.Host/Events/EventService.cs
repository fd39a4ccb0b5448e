using System.Collections.Concurrent;
using System.Globalization;
using Stratus.Host.Database;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Events;

/// <summary>
/// event.from, event.inject and the legacy event.register/next (xapi_event.ml). Changes are read straight from the
/// object database by generation, so events coalesce naturally: a client gets the latest snapshot of each object,
/// an object created since its token appears once as <c>add</c>, and <c>del</c> is reported only for objects that
/// existed at the token.
/// </summary>
internal sealed class EventService(ObjectDatabase db, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Registration> _registrations = new(StringComparer.Ordinal);

    /// <summary>
    /// event.from: waits until a wanted change exists after <paramref name="token"/> or <paramref name="timeout"/>
    /// seconds pass, then returns <c>{events, valid_ref_counts, token}</c>.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, object?>> FromAsync(IReadOnlyList<object?> classes, string token, double timeout, CancellationToken cancellationToken)
    {
        var subscription = Subscription.Parse(classes);
        var since = EventToken.Parse(token);
        if (since is { } generation && generation < db.Horizon)
        {
            throw new XenApiFailure(XenErrors.EventsLost);
        }

        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(Math.Clamp(double.IsFinite(timeout) ? timeout : 0, 0, TimeSpan.FromDays(1).TotalSeconds));
        var cursor = since ?? 0;
        while (true)
        {
            var next = db.Changed.Next;
            var changes = db.ChangesSince(cursor, subscription.WantsClass);
            var events = Collect(changes, subscription, cursor);
            var remaining = deadline - time.GetUtcNow();
            if (events.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return new Dictionary<string, object?>
                {
                    ["events"] = events,
                    ["valid_ref_counts"] = changes.Counts,
                    ["token"] = EventToken.Format(changes.Generation),
                };
            }

            // Nothing wanted up to this generation: look only at later changes next time (xapi: sub.cur_id <- last).
            cursor = changes.Generation;
            try
            {
                await next.WaitAsync(remaining, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // The loop answers with an empty batch and a fresh token.
            }
        }
    }

    /// <summary>event.inject: touches an object (a <c>mod</c> event) and returns a token from just before the touch.</summary>
    public string Inject(string className, string reference)
    {
        var cls = XenModel.Find(className);
        var generation = db.Write(tx =>
        {
            if (cls is null || !cls.InDatabase || !tx.Exists(cls, reference))
            {
                throw new XenApiFailure(XenErrors.HandleInvalid, className, reference);
            }

            tx.Touch(cls, reference);
            return db.Generation;
        });

        // The touch committed as generation + 1; the token stands just before it.
        return EventToken.Format(generation);
    }

    public long CurrentId => db.Generation;

    /// <summary>event.register: the session's legacy queue starts at the current generation.</summary>
    public void Register(string session, IReadOnlyList<object?> classes)
    {
        var added = Subscription.Parse(classes);
        var registration = _registrations.GetOrAdd(session, _ => new Registration(db.Generation));
        lock (registration)
        {
            registration.Subscription.Add(added);
        }
    }

    public void Unregister(string session, IReadOnlyList<object?> classes)
    {
        if (_registrations.TryGetValue(session, out var registration))
        {
            lock (registration)
            {
                registration.Subscription.Remove(Subscription.Parse(classes));
            }
        }
    }

    public void Forget(string session) => _registrations.TryRemove(session, out _);

    /// <summary>event.next: blocks until the session's registration has events, then returns them.</summary>
    public async Task<IReadOnlyList<object?>> NextAsync(string session, CancellationToken cancellationToken)
    {
        if (!_registrations.TryGetValue(session, out var registration))
        {
            throw new XenApiFailure(XenErrors.SessionNotRegistered, session);
        }

        while (true)
        {
            var next = db.Changed.Next;
            long cursor;
            Subscription subscription;
            lock (registration)
            {
                cursor = registration.Cursor;
                subscription = registration.Subscription;
            }

            if (cursor < db.Horizon)
            {
                throw new XenApiFailure(XenErrors.EventsLost);
            }

            var changes = db.ChangesSince(cursor, subscription.WantsClass);
            var events = Collect(changes, subscription, cursor);
            lock (registration)
            {
                registration.Cursor = changes.Generation;
            }

            if (events.Count > 0)
            {
                return events;
            }

            await next.WaitAsync(cancellationToken);
        }
    }

    private static List<object?> Collect(ChangeSet changes, Subscription subscription, long since)
    {
        var events = new List<object?>();
        foreach (var tombstone in changes.Deleted)
        {
            if (subscription.Wants(tombstone.Class, tombstone.Ref))
            {
                events.Add(Event(tombstone.Deleted, tombstone.Class, "del", tombstone.Ref, null));
            }
        }

        foreach (var row in changes.Rows.OrderBy(r => r.Modified))
        {
            if (subscription.Wants(row.Class, row.Ref))
            {
                events.Add(Event(row.Modified, row.Class, row.Created > since ? "add" : "mod", row.Ref, row.ToRecord()));
            }
        }

        return events;
    }

    private static Dictionary<string, object?> Event(long id, XenClass cls, string operation, string reference, XenRecord? snapshot)
    {
        var record = new Dictionary<string, object?>(6, StringComparer.Ordinal)
        {
            ["id"] = id.ToString(CultureInfo.InvariantCulture),
            // xapi's event.from sends "0.0" here too; clients order by token, not by timestamp.
            ["timestamp"] = "0.0",
            ["class"] = cls.EventName,
            ["operation"] = operation,
            ["ref"] = reference,
        };
        if (snapshot is not null)
        {
            record["snapshot"] = snapshot;
        }

        return record;
    }

    private sealed class Registration(long cursor)
    {
        public long Cursor { get; set; } = cursor;

        public Subscription Subscription { get; } = new();
    }
}
