using Stratus.Cloud.Compute.Api;
using Stratus.Cloud.Compute.Services;
using Stratus.Cloud.OpenStack;

namespace Stratus.Cloud.Compute.AvailabilityZones;

/// <summary>
/// /os-availability-zone (nova availability_zone.py). A zone is available when one of its services is enabled; the
/// summary hides the controller's own "internal" zone, the admin's detail lists every host and service in each zone.
/// </summary>
internal static class AvailabilityZoneEndpoints
{
    public const string InternalZone = "internal";

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/os-availability-zone", ListAsync);
        group.MapGet("/os-availability-zone/detail", DetailAsync);
    }

    /// <summary>nova availability_zones.get_availability_zones: zones with an enabled service, and zones with only disabled ones.</summary>
    public static (List<string> Available, List<string> Unavailable) Zones(IReadOnlyList<ServiceRecord> services)
    {
        var available = services.Where(s => !s.Disabled).Select(s => s.Zone).Distinct(StringComparer.Ordinal).OrderBy(z => z, StringComparer.Ordinal).ToList();
        var unavailable = services.Where(s => s.Disabled).Select(s => s.Zone).Distinct(StringComparer.Ordinal)
            .Where(z => !available.Contains(z)).OrderBy(z => z, StringComparer.Ordinal).ToList();
        return (available, unavailable);
    }

    private static async Task<IResult> ListAsync(HttpContext http, IServiceStore services)
    {
        _ = http.Caller();
        var (available, unavailable) = Zones(await services.ListAsync(http.RequestAborted));
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("availabilityZoneInfo");
            foreach (var (zone, isAvailable) in available.Select(z => (z, true)).Concat(unavailable.Select(z => (z, false))))
            {
                if (zone == InternalZone)
                {
                    continue;
                }

                w.WriteStartObject();
                w.WriteString("zoneName", zone);
                w.WriteStartObject("zoneState");
                w.WriteBoolean("available", isAvailable);
                w.WriteEndObject();
                w.WriteNull("hosts");
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> DetailAsync(HttpContext http, IServiceStore services, CloudOptions options, TimeProvider time)
    {
        ComputePolicy.RequireAdmin(http.Caller(), "os_compute_api:os-availability-zone:detail");
        var all = await services.ListAsync(http.RequestAborted);
        var (available, unavailable) = Zones(all);
        var now = time.GetUtcNow().UtcDateTime;
        return NovaResult.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("availabilityZoneInfo");
            foreach (var zone in available)
            {
                w.WriteStartObject();
                w.WriteString("zoneName", zone);
                w.WriteStartObject("zoneState");
                w.WriteBoolean("available", true);
                w.WriteEndObject();
                w.WriteStartObject("hosts");
                foreach (var host in all.Where(s => s.Zone == zone && !s.Disabled && s.Binary is not ("nova-osapi_compute" or "nova-metadata")).GroupBy(s => s.Host, StringComparer.Ordinal))
                {
                    w.WriteStartObject(host.Key);
                    foreach (var service in host)
                    {
                        w.WriteStartObject(service.Binary);
                        w.WriteBoolean("available", ServiceHealth.IsUp(service, now, options.ServiceDownTime));
                        w.WriteBoolean("active", !service.Disabled);
                        w.WriteStringOrNull("updated_at", service.LastSeenUp is { } seen ? OpenStackJson.Naive(seen) : null);
                        w.WriteEndObject();
                    }

                    w.WriteEndObject();
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            foreach (var zone in unavailable)
            {
                w.WriteStartObject();
                w.WriteString("zoneName", zone);
                w.WriteStartObject("zoneState");
                w.WriteBoolean("available", false);
                w.WriteEndObject();
                w.WriteNull("hosts");
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
