using Stratus.Cloud.Scheduler;

namespace Stratus.Cloud.Conductor.Placement;

/// <summary>A scheduling decision and, when a host was found, the claim made on it in the same step.</summary>
internal sealed record PlacementResult(SchedulingDecision Decision, Claim? Claim);
