using System.Globalization;

namespace Stratus.Cloud.Scheduler;

/// <summary>
/// A filter's answer for one host. A rejection carries its numbers (what the host has, what was asked) and is turned
/// into text only when someone reads it, so a decision over 10,000 hosts stays cheap.
/// </summary>
internal readonly record struct HostVerdict(bool Passed, string Filter, RejectionKind Kind, double Have, double Need, string? Detail)
{
    public static HostVerdict Pass(string filter) => new(true, filter, RejectionKind.None, 0, 0, null);

    public static HostVerdict Reject(string filter, RejectionKind kind, double have = 0, double need = 0, string? detail = null) =>
        new(false, filter, kind, have, need, detail);

    /// <summary>The admin's explanation, with the numbers.</summary>
    public string Describe() => Kind switch
    {
        RejectionKind.None => "passed",
        RejectionKind.Disabled => $"service disabled{(Detail is { Length: > 0 } ? $" ({Detail})" : "")}",
        RejectionKind.Down => $"service down: last heartbeat {N(Have)} s ago",
        RejectionKind.AlreadyTried => "a previous attempt of this build failed here",
        RejectionKind.AvailabilityZone => $"in availability zone {Detail}, not the requested one",
        RejectionKind.Ram => $"{N(Have)} MB free RAM < {N(Need)} MB requested ({Detail})",
        RejectionKind.Disk => $"{N(Have)} GB free disk < {N(Need)} GB requested ({Detail})",
        RejectionKind.Vcpus => $"{N(Have)} free vCPUs < {N(Need)} requested ({Detail})",
        RejectionKind.ImageProperty => $"image requires {Detail}",
        RejectionKind.Storage => Detail ?? "no usable SR",
        _ => Detail ?? Kind.ToString(),
    };

    private static string N(double value) => Math.Floor(value).ToString("0", CultureInfo.InvariantCulture);
}
