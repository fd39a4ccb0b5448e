using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Events;

/// <summary>
/// An event subscription (xapi_event.ml Subscription): <c>*</c>, a class name (any case), or <c>class/ref</c> for one
/// object. Anything else fails with <c>EVENT_SUBSCRIPTION_PARSE_FAILURE [subscription]</c>.
/// </summary>
internal sealed class Subscription
{
    private readonly HashSet<XenClass> _classes = [];
    private readonly HashSet<(XenClass Class, string Ref)> _objects = [];
    private bool _all;

    public bool IsEmpty => !_all && _classes.Count == 0 && _objects.Count == 0;

    public static Subscription Parse(IEnumerable<object?> entries)
    {
        var subscription = new Subscription();
        foreach (var entry in entries.Select(e => e as string ?? ""))
        {
            if (entry == "*")
            {
                subscription._all = true;
                continue;
            }

            var slash = entry.IndexOf('/', StringComparison.Ordinal);
            var cls = XenModel.Find(slash < 0 ? entry : entry[..slash]);
            if (cls is null || !cls.InDatabase)
            {
                throw new XenApiFailure(XenErrors.EventSubscriptionParseFailure, entry);
            }

            if (slash < 0)
            {
                subscription._classes.Add(cls);
            }
            else
            {
                var reference = entry[(slash + 1)..];
                if (!reference.StartsWith(XenRef.Prefix, StringComparison.Ordinal))
                {
                    throw new XenApiFailure(XenErrors.EventSubscriptionParseFailure, entry);
                }

                subscription._objects.Add((cls, reference));
            }
        }

        return subscription;
    }

    /// <summary>Whether changes of this class can matter (checked before looking at objects).</summary>
    public bool WantsClass(XenClass cls) =>
        cls.Events && (_all || _classes.Contains(cls) || _objects.Any(o => o.Class == cls));

    public bool Wants(XenClass cls, string reference) =>
        cls.Events && (_all || _classes.Contains(cls) || _objects.Contains((cls, reference)));

    /// <summary>event.register: adds classes to a session's registration.</summary>
    public void Add(Subscription other)
    {
        _all |= other._all;
        _classes.UnionWith(other._classes);
        _objects.UnionWith(other._objects);
    }

    /// <summary>event.unregister.</summary>
    public void Remove(Subscription other)
    {
        if (other._all)
        {
            _all = false;
        }

        _classes.ExceptWith(other._classes);
        _objects.ExceptWith(other._objects);
    }
}
