namespace Stratus.Cloud.Network.Model;

/// <summary>An allocation pool, <c>{"start", "end"}</c>, inclusive.</summary>
internal sealed record AllocationPoolRecord(string Start, string End);
