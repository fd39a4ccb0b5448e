namespace Stratus.Cloud.Conductor.Hosts;

/// <summary>A host cannot be added: another one with the same name is managed already.</summary>
internal sealed class HostConflictException(string message) : Exception(message);
