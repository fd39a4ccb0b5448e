namespace Stratus.Cloud.Conductor.Build;

/// <summary>The server left the building state under the build (a delete came in): the build stops; the delete cleans up.</summary>
internal sealed class BuildSupersededException(Guid instanceId) : Exception($"server {instanceId} is no longer building");
