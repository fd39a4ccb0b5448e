namespace Stratus.Cloud.Conductor.Build;

/// <summary>
/// A build that cannot succeed on any host (the image is gone, its format cannot be imported): no reschedule,
/// straight to ERROR. <see cref="Exception.Message"/> is safe for the tenant.
/// </summary>
internal sealed class BuildAbortedException(string message, string? details = null) : Exception(message)
{
    public string Details { get; } = details ?? message;
}
