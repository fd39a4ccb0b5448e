namespace Stratus.Cloud.Compute.Instances;

/// <summary>
/// Why a server is in ERROR (nova's instance_faults). <see cref="Message"/> is safe for the tenant (no host
/// internals); <see cref="Details"/> is the full explanation (every host, every filter, the numbers), shown to admins.
/// </summary>
internal sealed record InstanceFault(int Code, string Message, string Details, DateTime CreatedAt, string? Host);
