using Stratus.Cloud.Scheduler.Filters;
using Stratus.Cloud.Scheduler.Weighers;

namespace Stratus.Cloud.Scheduler;

/// <summary>
/// nova's filter scheduler, without I/O: every host goes through the filters in order (stopping at the first that
/// rejects it, as nova does), the survivors are weighed, the heaviest wins (ties by host name, so a decision is
/// reproducible). The result keeps each host's verdict for the explanation.
/// </summary>
internal sealed class FilterScheduler(IReadOnlyList<IHostFilter> filters, IReadOnlyList<IHostWeigher> weighers)
{
    public static FilterScheduler Default(bool spread) => new(
        [new ComputeFilter(), new RetryFilter(), new AvailabilityZoneFilter(), new RamFilter(), new CoreFilter(), new DiskFilter(), new ImagePropertiesFilter(), new StorageFilter()],
        [new RamWeigher(spread)]);

    public IReadOnlyList<IHostFilter> Filters => filters;

    public SchedulingDecision Select(RequestSpec request, IReadOnlyList<HostState> hosts)
    {
        var evaluations = new HostEvaluation[hosts.Count];
        for (var i = 0; i < hosts.Count; i++)
        {
            var host = hosts[i];
            var verdict = HostVerdict.Pass("all");
            foreach (var filter in filters)
            {
                var result = filter.Check(host, request);
                if (!result.Passed)
                {
                    verdict = result;
                    break;
                }
            }

            evaluations[i] = new HostEvaluation(host, verdict, 0);
        }

        // Weights are normalised per weigher over the passing hosts (nova's weights.normalize), then summed.
        var totals = new double[hosts.Count];
        foreach (var weigher in weighers)
        {
            double min = double.MaxValue, max = double.MinValue;
            var raw = new double[hosts.Count];
            for (var i = 0; i < evaluations.Length; i++)
            {
                if (!evaluations[i].Passed)
                {
                    continue;
                }

                raw[i] = weigher.Weigh(evaluations[i].Host, request);
                min = Math.Min(min, raw[i]);
                max = Math.Max(max, raw[i]);
            }

            for (var i = 0; i < evaluations.Length; i++)
            {
                if (evaluations[i].Passed)
                {
                    totals[i] += max > min ? (raw[i] - min) / (max - min) : 0;
                }
            }
        }

        HostState? chosen = null;
        var best = double.MinValue;
        for (var i = 0; i < evaluations.Length; i++)
        {
            if (!evaluations[i].Passed)
            {
                continue;
            }

            evaluations[i] = evaluations[i] with { Weight = totals[i] };
            if (totals[i] > best || (totals[i] == best && chosen is not null && string.CompareOrdinal(evaluations[i].Host.Host, chosen.Host) < 0))
            {
                best = totals[i];
                chosen = evaluations[i].Host;
            }
        }

        return new SchedulingDecision(request, evaluations, chosen);
    }
}
