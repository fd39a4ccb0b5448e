namespace Stratus.Cloud.Compute.Services;

/// <summary>A XenAPI endpoint and its credentials.</summary>
internal sealed record HostConnection(string Url, string User, string Password);
