namespace Stratus.Cloud.Conductor.Work;

/// <summary>One host a build tried, and how it ended there (the admin's fault details list them all).</summary>
internal sealed record AttemptRecord(int Number, string Host, string Node, DateTime StartedAt, string? Error);
