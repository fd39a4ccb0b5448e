namespace Stratus.Host.Storage.Files;

/// <summary>
/// A file system's numbers as statvfs gives them, in bytes: <see cref="Size"/> = f_blocks × f_frsize,
/// <see cref="Used"/> = (f_blocks − f_bfree) × f_frsize (what xapi's FileSR reports as physical_utilisation),
/// <see cref="Available"/> = f_bavail × f_frsize (what an unprivileged writer can still use).
/// </summary>
internal readonly record struct FileSystemSpace(long Size, long Used, long Available);
