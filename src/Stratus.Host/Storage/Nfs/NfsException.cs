namespace Stratus.Host.Storage.Nfs;

/// <summary>A libnfs call failed. <see cref="Exception.HResult"/> is the errno, as for .NET's own I/O errors on Unix.</summary>
internal sealed class NfsException : IOException
{
    public NfsException(string message, int errno)
        : base(message, errno)
    {
        Errno = errno;
    }

    public int Errno { get; }
}
