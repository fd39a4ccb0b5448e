using System.Globalization;
using Stratus.XenApi;

namespace Stratus.Host.Events;

/// <summary>
/// event.from tokens in xapi's form, <c>%020d,%020d</c> (database generation, message generation), so tokens compare
/// as strings. Messages live in the database here, so the second half is always zero. Clients treat tokens as opaque.
/// </summary>
internal static class EventToken
{
    public static string Format(long generation) =>
        string.Create(CultureInfo.InvariantCulture, $"{generation:D20},{0:D20}");

    /// <summary>The generation a token stands for; null for <c>""</c> (everything, as add events).</summary>
    public static long? Parse(string token)
    {
        if (token.Length == 0)
        {
            return null;
        }

        var parts = token.Split(',');
        if (parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var generation)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return generation;
        }

        throw new XenApiFailure(XenErrors.EventFromTokenParseFailure, token);
    }
}
