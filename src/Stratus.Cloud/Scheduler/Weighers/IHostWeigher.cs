namespace Stratus.Cloud.Scheduler.Weighers;

/// <summary>Scores hosts that passed every filter; higher wins (nova's weighers, normalised to 0..1 by the scheduler).</summary>
internal interface IHostWeigher
{
    string Name { get; }

    double Weigh(HostState host, RequestSpec request);
}
