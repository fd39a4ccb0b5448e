namespace Stratus.Cloud.Compute.Services;

/// <summary>
/// nova's servicegroup DB driver: a service is up when it is not forced down and its last heartbeat is no older than
/// service_down_time (<see cref="CloudOptions.ServiceDownTime"/>).
/// </summary>
internal static class ServiceHealth
{
    public static bool IsUp(ServiceRecord service, DateTime now, TimeSpan serviceDownTime) =>
        !service.ForcedDown && service.LastSeenUp is { } seen && (now - seen).Duration() <= serviceDownTime;

    /// <summary>
    /// A server's host_status (nova compute API get_instance_host_status): "" without a host, DOWN when forced down,
    /// MAINTENANCE when up but disabled, UP, or UNKNOWN when the heartbeat is lost.
    /// </summary>
    public static string HostStatus(ServiceRecord? service, string? host, DateTime now, TimeSpan serviceDownTime)
    {
        if (string.IsNullOrEmpty(host))
        {
            return "";
        }

        if (service is null)
        {
            return "UNKNOWN";
        }

        if (service.ForcedDown)
        {
            return "DOWN";
        }

        if (!IsUp(service, now, serviceDownTime))
        {
            return "UNKNOWN";
        }

        return service.Disabled ? "MAINTENANCE" : "UP";
    }
}
