namespace Stratus.Cloud.Compute.Services;

/// <summary>An SR on a host: uuid, name, type (ext, nfs, lvm, ...) and sizes in bytes.</summary>
internal sealed record StorageFacts(string Uuid, string Name, string Type, long PhysicalSize, long PhysicalUtilisation, bool Shared);
