namespace Stratus.Host.Storage;

/// <summary>SR.physical_size and SR.physical_utilisation, in bytes.</summary>
internal sealed record SrCapacity(long PhysicalSize, long PhysicalUtilisation);
