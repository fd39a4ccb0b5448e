namespace Stratus.Cloud.Compute.Instances;

/// <summary>A list's marker names no server the caller could see (nova answers 400 "marker [id] not found").</summary>
internal sealed class MarkerNotFoundException(Guid marker) : Exception($"marker [{marker}] not found")
{
    public Guid Marker { get; } = marker;
}
