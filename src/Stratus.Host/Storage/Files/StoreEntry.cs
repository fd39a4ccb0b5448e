namespace Stratus.Host.Storage.Files;

/// <summary>A file in an SR directory: name, apparent length, bytes allocated on disk, owner-writable.</summary>
internal sealed record StoreEntry(string Name, long Length, long Allocated, bool Writable);
