namespace Stratus.Cloud.Conductor.Build;

/// <summary>The chosen host stopped being managed between the decision and the spawn.</summary>
internal sealed class HostGoneException(string host) : Exception($"host {host} is no longer managed");
