namespace Stratus.Cloud.Conductor.Hosts;

/// <summary>A configured host the controller has not reached yet (so it has no service): its URL and why the last try failed.</summary>
internal sealed record PendingHost(string Url, string? LastError, DateTime Since);
