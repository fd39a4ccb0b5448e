using System.Globalization;
using System.Text;

namespace Stratus.Cloud.Scheduler;

/// <summary>
/// The outcome of one scheduling decision, with its full explanation: every host considered and why it was or was
/// not chosen. <see cref="TenantSummary"/> is safe to show anyone (counts and the request's numbers, no host names);
/// <see cref="AdminDetails"/> names every host, its filter and its numbers — what replaces the seed's
/// "There are 0 hosts available but 1 instances requested to build".
/// </summary>
internal sealed class SchedulingDecision(RequestSpec request, IReadOnlyList<HostEvaluation> evaluations, HostState? chosen)
{
    public RequestSpec Request { get; } = request;

    public IReadOnlyList<HostEvaluation> Evaluations { get; } = evaluations;

    public HostState? Chosen { get; } = chosen;

    public bool Found => Chosen is not null;

    /// <summary>"No valid host was found: 3 hosts considered, none with 2048 MB of free RAM".</summary>
    public string TenantSummary
    {
        get
        {
            if (Found)
            {
                return "A host was found.";
            }

            var count = Evaluations.Count;
            if (count == 0)
            {
                return "No valid host was found: there are no compute hosts.";
            }

            var considered = count == 1 ? "1 host considered" : $"{count} hosts considered";
            var groups = Evaluations.GroupBy(e => e.Verdict.Kind).OrderByDescending(g => g.Count()).ToList();
            if (groups.Count == 1)
            {
                return $"No valid host was found: {considered}, {Requirement(groups[0].Key, all: true, count)}.";
            }

            var parts = groups.Select(g => $"{g.Count()} {Requirement(g.Key, all: false, g.Count())}");
            return $"No valid host was found: {considered}; {string.Join("; ", parts)}.";
        }
    }

    /// <summary>Every host, the filter that decided, and its numbers (for admins, fault details and instance action events).</summary>
    public string AdminDetails
    {
        get
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"Request: {Request.Flavor.RamMb} MB RAM, {Request.Flavor.Vcpus} vCPUs, {Request.DiskGb} GB disk");
            if (!string.IsNullOrEmpty(Request.AvailabilityZone))
            {
                text.Append(CultureInfo.InvariantCulture, $", zone {Request.AvailabilityZone}");
            }

            if (Request.RequiredSrType is { } sr)
            {
                text.Append(CultureInfo.InvariantCulture, $", SR type {sr}");
            }

            text.Append('\n');
            foreach (var evaluation in Evaluations.OrderBy(e => e.Host.Host, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"{evaluation.Host.Host}: ");
                text.Append(evaluation.Passed
                    ? string.Create(CultureInfo.InvariantCulture, $"passed all filters ({Math.Floor(evaluation.Host.FreeRamMb):0} MB RAM, {Math.Floor(evaluation.Host.FreeDiskGb):0} GB disk, {Math.Floor(evaluation.Host.FreeVcpus):0} vCPUs free), weight {evaluation.Weight:0.###}{(ReferenceEquals(evaluation.Host, Chosen) ? " (chosen)" : "")}")
                    : $"{evaluation.Verdict.Filter} rejected it: {evaluation.Verdict.Describe()}");
                text.Append('\n');
            }

            return text.ToString();
        }
    }

    private string Requirement(RejectionKind kind, bool all, int count)
    {
        var verb = all ? "none" : count == 1 ? "was" : "were";
        return (kind, all) switch
        {
            (RejectionKind.Ram, true) => $"none with {Request.Flavor.RamMb} MB of free RAM",
            (RejectionKind.Ram, false) => $"lacked {Request.Flavor.RamMb} MB of free RAM",
            (RejectionKind.Disk, true) => $"none with {Request.DiskGb} GB of free disk",
            (RejectionKind.Disk, false) => $"lacked {Request.DiskGb} GB of free disk",
            (RejectionKind.Vcpus, true) => $"none with {Request.Flavor.Vcpus} free vCPUs",
            (RejectionKind.Vcpus, false) => $"lacked {Request.Flavor.Vcpus} free vCPUs",
            (RejectionKind.Disabled, true) => "all disabled",
            (RejectionKind.Disabled, false) => $"{verb} disabled",
            (RejectionKind.Down, true) => "all down",
            (RejectionKind.Down, false) => $"{verb} down",
            (RejectionKind.AlreadyTried, true) => "each already tried by this build",
            (RejectionKind.AlreadyTried, false) => $"{verb} already tried by this build",
            (RejectionKind.AvailabilityZone, true) => $"none in availability zone {Request.AvailabilityZone}",
            (RejectionKind.AvailabilityZone, false) => $"{verb} in another availability zone",
            (RejectionKind.ImageProperty, true) => "none matching the image's properties",
            (RejectionKind.ImageProperty, false) => "did not match the image's properties",
            (RejectionKind.Storage, true) => Request.RequiredSrType is { } type ? $"none with a usable SR of type {type}" : "none with a usable SR big enough",
            (RejectionKind.Storage, false) => "lacked a usable SR",
            _ => $"rejected ({kind})",
        };
    }
}
