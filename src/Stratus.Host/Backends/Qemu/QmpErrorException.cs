namespace Stratus.Host.Backends.Qemu;

/// <summary>A QMP command answered with <c>{"error": {"class": ..., "desc": ...}}</c> (e.g. GenericError, CommandNotFound, DeviceNotActive).</summary>
internal sealed class QmpErrorException(string command, string errorClass, string description)
    : Exception($"QMP {command} failed: {errorClass}: {description}")
{
    public string Command { get; } = command;

    public string ErrorClass { get; } = errorClass;

    public string Description { get; } = description;
}
