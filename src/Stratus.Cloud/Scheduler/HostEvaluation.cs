namespace Stratus.Cloud.Scheduler;

/// <summary>One host's outcome in a decision: the first filter that rejected it (nova stops there too), or its weight.</summary>
internal readonly record struct HostEvaluation(HostState Host, HostVerdict Verdict, double Weight)
{
    public bool Passed => Verdict.Passed;
}
