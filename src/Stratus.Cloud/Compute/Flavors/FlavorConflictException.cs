namespace Stratus.Cloud.Compute.Flavors;

/// <summary>A flavor with the same name or id exists (nova FlavorExists / FlavorIdExists: 409).</summary>
internal sealed class FlavorConflictException(string message) : Exception(message);
